using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// One round's evaluation images: a fixed carve of the <b>training</b> split that no earlier run scored, held out of
/// every run of that round. The test splits are used up: round 3 scored the last 1,000 fresh MNIST test images but
/// 244, and the smoke runs after it drew from those. A validation carve (<see cref="Seeds.ValidationCarve"/>) is the
/// only other way a run scored training images, so every carve avoids the validation carves the pilots and
/// <c>--validation</c> runs used (<see cref="PilotCarveSizes"/>), on CIFAR-10 the first 10,000 images (<c>data_batch_1</c>,
/// the whole training file before 2026-12-05, whose carves were drawn from it alone), and the carves of the earlier
/// rounds (<see cref="Earlier"/>). Per split, <see cref="Sizes"/> images (2,000 in rounds 4 and 5, 5,000 from round 6) stratified by class with the training split's
/// class shares (the largest remainders of <see cref="ImageDataset.TakeIndices"/>), drawn with the round's fixed seed,
/// in file order. Digits on backgrounds takes the MNIST carve's digits over the CIFAR-10 carve's backgrounds; marked
/// pairs and CIFAR-10 pairs take CIFAR-10's carve (marked pairs mark it with MNIST training digits).
/// docs/real-experiments.md names each carve before its round ("Evaluation images of round 4" to "... of round 9").
/// </summary>
public sealed class HeldOutCarve
{
    /// <summary>Round 4's carve (seed <see cref="Seeds.Round4HeldOut"/>).</summary>
    public static HeldOutCarve Round4 { get; } = new("round4", Seeds.Round4HeldOut, size: 2000, earlier: null);

    /// <summary>Round 5's carve (seed <see cref="Seeds.Round5HeldOut"/>): round 4 scored its carve, so this one avoids it too.</summary>
    public static HeldOutCarve Round5 { get; } = new("round5", Seeds.Round5HeldOut, size: 2000, earlier: Round4);

    /// <summary>
    /// Round 6's carve (seed <see cref="Seeds.Round6HeldOut"/>): round 5 scored its carve, so this one avoids rounds 4 and
    /// 5. 5,000 images per split, as the pilots' validation carves: scoring 2,000 images adds about 0.01 of binomial
    /// noise to every seed's accuracy, a large part of the seed spreads the rule compares the gaps with.
    /// </summary>
    public static HeldOutCarve Round6 { get; } = new("round6", Seeds.Round6HeldOut, size: 5000, earlier: Round5);

    /// <summary>Round 7's carve (seed <see cref="Seeds.Round7HeldOut"/>): round 6 scored its carve, so this one avoids rounds 4 to 6. 5,000 images per split.</summary>
    public static HeldOutCarve Round7 { get; } = new("round7", Seeds.Round7HeldOut, size: 5000, earlier: Round6);

    /// <summary>Round 8's carve (seed <see cref="Seeds.Round8HeldOut"/>): round 7 scored its carve, so this one avoids rounds 4 to 7. 5,000 images per split.</summary>
    public static HeldOutCarve Round8 { get; } = new("round8", Seeds.Round8HeldOut, size: 5000, earlier: Round7);

    /// <summary>Round 9's carve (seed <see cref="Seeds.Round9HeldOut"/>): round 8 scored its carve, so this one avoids rounds 4 to 8. 5,000 images per split.</summary>
    public static HeldOutCarve Round9 { get; } = new("round9", Seeds.Round9HeldOut, size: 5000, earlier: Round8);

    /// <summary>The carve a run reading <paramref name="kind"/> scores, or null when <paramref name="kind"/> reads the test split.</summary>
    public static HeldOutCarve? For(TestSubsetKind kind) => kind switch
    {
        TestSubsetKind.Round4 => Round4,
        TestSubsetKind.Round5 => Round5,
        TestSubsetKind.Round6 => Round6,
        TestSubsetKind.Round7 => Round7,
        TestSubsetKind.Round8 => Round8,
        TestSubsetKind.Round9 => Round9,
        _ => null,
    };

    /// <summary>Images per training split the carve holds: the same number for MNIST and CIFAR-10.</summary>
    public IReadOnlyDictionary<string, int> Sizes { get; }

    /// <summary>Every <c>--validation-size</c> a pilot or a <c>--validation</c> run of the CPU presets used on MNIST or CIFAR-10 (docs/real-experiments.md, "Pilots").</summary>
    public static IReadOnlyList<int> PilotCarveSizes { get; } = [2000, 5000];

    /// <summary>CIFAR-10's training images before 2026-12-05 (<c>data_batch_1</c>): every earlier carve of CIFAR-10 was drawn from these alone.</summary>
    public const int Cifar10FirstFile = 10_000;

    private HeldOutCarve(string name, long seed, int size, HeldOutCarve? earlier)
    {
        (Name, Seed, Earlier) = (name, seed, earlier);
        Sizes = new Dictionary<string, int> { [DatasetRegistry.Mnist] = size, [DatasetRegistry.Cifar10] = size };
    }

    /// <summary>The carve's name in reports, configs and docs.</summary>
    public string Name { get; }

    /// <summary>The fixed seed of the draw.</summary>
    public long Seed { get; }

    /// <summary>The previous round's carve, which this one avoids with everything that one avoided (null for round 4).</summary>
    public HeldOutCarve? Earlier { get; }

    /// <summary>
    /// Which training images of <paramref name="split"/> an earlier run may have scored, from the training split's
    /// class labels in file order: the validation carves of <see cref="PilotCarveSizes"/>, on CIFAR-10 the first file,
    /// and the earlier rounds' carves.
    /// </summary>
    public bool[] Scored(string split, long[] classes, int numClasses)
    {
        if (Earlier is { } earlier)
        {
            var before = earlier.Scored(split, classes, numClasses);
            foreach (long i in earlier.Draw(split, classes, numClasses, before)) before[i] = true;
            return before;
        }
        var scored = new bool[classes.Length];
        foreach (int n in PilotCarveSizes.Where(n => n < classes.Length))
            foreach (long i in ImageDataset.TakeIndices(classes, numClasses, n, Seeds.ValidationCarve, stratified: true))
                scored[i] = true;
        if (split == DatasetRegistry.Cifar10)
            for (int i = 0; i < Math.Min(Cifar10FirstFile, classes.Length); i++) scored[i] = true;
        return scored;
    }

    /// <summary>The carve's indices into the training split of <paramref name="split"/> (<see cref="DatasetRegistry.Mnist"/> or <see cref="DatasetRegistry.Cifar10"/>).</summary>
    /// <exception cref="UserInputException">When the split has no carve, or too few never-scored images of some class.</exception>
    public long[] Indices(string split, long[] classes, int numClasses) =>
        Draw(split, classes, numClasses, Sizes.ContainsKey(split) ? Scored(split, classes, numClasses) : []);

    // The carve given what was scored before it (Scored's result, passed in so a later round does not recompute it).
    private long[] Draw(string split, long[] classes, int numClasses, bool[] scored)
    {
        if (!Sizes.TryGetValue(split, out int size))
            throw new UserInputException($"evaluation carve {Name}: defined for {string.Join(" and ", Sizes.Keys)} (and the datasets built from them), not for {split}.");
        return ImageDataset.TakeStratifiedExcept(classes, numClasses, scored, size, Seed, out var capacity)
            ?? throw new UserInputException($"evaluation carve {Name} of {split}: {size} images stratified by class need more never-scored images than the {classes.Length}-image training split has " +
                                            $"({capacity.Sum()} never scored; per class {string.Join(", ", capacity)}).");
    }

    /// <summary>
    /// Splits <paramref name="train"/> (the whole training split of <paramref name="split"/>, as loaded) into
    /// (remainder, carve): every image outside the carve, and the carve. Disposes <paramref name="train"/>.
    /// </summary>
    public (ImageDataset Remainder, ImageDataset HeldOut) Split(string split, ImageDataset train)
    {
        using (train)
        {
            var carved = Indices(split, train.LabelValues(LabelKeys.Class), train.NumClasses(LabelKeys.Class));
            return (train.Without(carved), train.Subset(carved));
        }
    }
}
