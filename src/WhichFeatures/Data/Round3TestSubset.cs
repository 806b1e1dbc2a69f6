using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// Round 3's test images: a fixed draw from the test images that no earlier run of the real suite scored
/// (<see cref="EarlierTestDraws"/>), so that presets chosen after seeing the earlier test runs leak nothing into it.
/// Per split, <see cref="Sizes"/> images stratified by class with the whole test split's class shares (the largest
/// remainders of <see cref="ImageDataset.TakeIndices"/>), each class's share drawn from its never-scored images with
/// the fixed <see cref="Seeds.Round3TestSubset"/>; returned in file order. Digits on backgrounds takes the MNIST
/// subset's digits over the CIFAR-10 subset's backgrounds. docs/real-experiments.md ("Test split of round 3") names it.
/// </summary>
public static class Round3TestSubset
{
    /// <summary>The subset's name in reports and docs.</summary>
    public const string Name = "round3";

    /// <summary>Images per test split: MNIST 1,000 and CIFAR-10 2,000 (of the 1,244 and 2,637 never scored).</summary>
    public static IReadOnlyDictionary<string, int> Sizes { get; } = new Dictionary<string, int>
    {
        [DatasetRegistry.Mnist] = 1000,
        [DatasetRegistry.Cifar10] = 2000,
    };

    /// <summary>Whether <paramref name="dataset"/> (a canonical name) has a round-3 subset: MNIST, CIFAR-10, digits on backgrounds and marked pairs (CIFAR-10's subset, marked).</summary>
    public static bool Covers(string dataset) => dataset is DatasetRegistry.DigitsOnBackgrounds or DatasetRegistry.MarkedPairs or DatasetRegistry.Cifar10Pairs || Sizes.ContainsKey(dataset);

    /// <summary>
    /// Images a run of <paramref name="dataset"/> scores on the named subset <paramref name="subset"/> (round 3's, or
    /// a round's carve of the training split, <see cref="HeldOutCarve"/>, which covers the same datasets): the MNIST part's size for digits
    /// on backgrounds (one composed image per digit), CIFAR-10's for marked pairs, else the split's own.
    /// </summary>
    public static int ScoredImages(TestSubsetKind subset, string dataset) =>
        (HeldOutCarve.For(subset)?.Sizes ?? Sizes)[dataset == DatasetRegistry.DigitsOnBackgrounds ? DatasetRegistry.Mnist : DatasetRegistry.ImageSource(dataset)];

    /// <summary>
    /// Whether a run of <paramref name="dataset"/> that reads <paramref name="subset"/> and asks for
    /// <paramref name="testSize"/> test images scores the whole named subset (round 3's, or a round's carve): it asks for at
    /// least as many images as the subset holds.
    /// </summary>
    public static bool ScoresAll(TestSubsetKind subset, string dataset, int testSize) =>
        (subset == TestSubsetKind.Round3 || HeldOutCarve.For(subset) is not null) && Covers(dataset) && testSize >= ScoredImages(subset, dataset);

    /// <summary>
    /// The subset's indices into the test split of <paramref name="split"/> (<see cref="DatasetRegistry.Mnist"/> or
    /// <see cref="DatasetRegistry.Cifar10"/>), from the split's class labels in file order.
    /// </summary>
    /// <exception cref="UserInputException">When the split is not one earlier runs drew from, or has too few never-scored images of some class.</exception>
    public static long[] Indices(string split, long[] classes, int numClasses)
    {
        if (!Sizes.TryGetValue(split, out int size))
            throw new UserInputException($"test subset {Name}: defined for {string.Join(" and ", Sizes.Keys)} (and digits on backgrounds built from them), not for {split}.");
        var scored = EarlierTestDraws.Scored(split, classes, numClasses);
        return ImageDataset.TakeStratifiedExcept(classes, numClasses, scored, size, Seeds.Round3TestSubset, out var capacity)
            ?? throw new UserInputException($"test subset {Name} of {split}: {size} images stratified by class need more never-scored images than the {classes.Length}-image test split has " +
                                            $"({capacity.Sum()} never scored; per class {string.Join(", ", capacity)}).");
    }

    /// <summary>
    /// The images of <paramref name="test"/> (the whole test split of <paramref name="split"/>, as loaded) that
    /// <paramref name="kind"/> keeps: all, the round-3 subset, or every other image. The caller owns both datasets.
    /// </summary>
    public static ImageDataset Select(TestSubsetKind kind, string split, ImageDataset test)
    {
        if (kind == TestSubsetKind.All) return test;
        if (HeldOutCarve.For(kind) is { } carve)
            throw new ArgumentException($"{carve.Name} is a carve of the training split (HeldOutCarve.Split), not a subset of the test split", nameof(kind));
        var chosen = Indices(split, test.LabelValues(LabelKeys.Class), test.NumClasses(LabelKeys.Class));
        return kind == TestSubsetKind.Round3 ? test.Subset(chosen) : test.Without(chosen);
    }
}
