using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// Round 4's evaluation images: a fixed carve of the <b>training</b> split that no earlier run scored, held out of
/// every round-4 run's training images. The test splits are used up: round 3 scored the last 1,000 fresh MNIST test
/// images but 244, and the smoke runs after it drew from those. A validation carve (<see cref="Seeds.ValidationCarve"/>)
/// is the only way an earlier run scored training images, so the carve avoids every validation carve the pilots and
/// <c>--validation</c> runs used (<see cref="PilotCarveSizes"/>) and, on CIFAR-10, the first 10,000 images
/// (<c>data_batch_1</c>, the whole training file before 2026-12-05, whose carves were drawn from it alone). Per split,
/// <see cref="Sizes"/> images stratified by class with the training split's class shares (the largest remainders of
/// <see cref="ImageDataset.TakeIndices"/>), drawn with the fixed <see cref="Seeds.Round4HeldOut"/>, in file order.
/// Digits on backgrounds takes the MNIST carve's digits over the CIFAR-10 carve's backgrounds, marked pairs CIFAR-10's
/// carve, marked with MNIST training digits. docs/real-experiments.md ("Evaluation images of round 4") names it.
/// </summary>
public static class Round4HeldOut
{
    /// <summary>The carve's name in reports and docs.</summary>
    public const string Name = "round4";

    /// <summary>Images per training split: MNIST 2,000 and CIFAR-10 2,000.</summary>
    public static IReadOnlyDictionary<string, int> Sizes { get; } = new Dictionary<string, int>
    {
        [DatasetRegistry.Mnist] = 2000,
        [DatasetRegistry.Cifar10] = 2000,
    };

    /// <summary>Every <c>--validation-size</c> a pilot or a <c>--validation</c> run of the CPU presets used on MNIST or CIFAR-10 (docs/real-experiments.md, "Pilots").</summary>
    public static IReadOnlyList<int> PilotCarveSizes { get; } = [2000, 5000];

    /// <summary>CIFAR-10's training images before 2026-12-05 (<c>data_batch_1</c>): every earlier carve of CIFAR-10 was drawn from these alone.</summary>
    public const int Cifar10FirstFile = 10_000;

    /// <summary>
    /// Which training images of <paramref name="split"/> an earlier run may have scored, from the training split's
    /// class labels in file order: the validation carves of <see cref="PilotCarveSizes"/> and, on CIFAR-10, the first file.
    /// </summary>
    public static bool[] Scored(string split, long[] classes, int numClasses)
    {
        var scored = new bool[classes.Length];
        foreach (int n in PilotCarveSizes.Where(n => n < classes.Length))
            foreach (long i in ImageDataset.TakeIndices(classes, numClasses, n, Seeds.ValidationCarve, stratified: true))
                scored[i] = true;
        if (split == DatasetRegistry.Cifar10)
            for (int i = 0; i < Math.Min(Cifar10FirstFile, classes.Length); i++) scored[i] = true;
        return scored;
    }

    /// <summary>The carve's indices into the training split of <paramref name="split"/> (<see cref="DatasetRegistry.Mnist"/> or <see cref="DatasetRegistry.Cifar10"/>).</summary>
    /// <exception cref="UserInputException">When the split has no round-4 carve, or too few never-scored images of some class.</exception>
    public static long[] Indices(string split, long[] classes, int numClasses)
    {
        if (!Sizes.TryGetValue(split, out int size))
            throw new UserInputException($"evaluation carve {Name}: defined for {string.Join(" and ", Sizes.Keys)} (and the datasets built from them), not for {split}.");
        return ImageDataset.TakeStratifiedExcept(classes, numClasses, Scored(split, classes, numClasses), size, Seeds.Round4HeldOut, out var capacity)
            ?? throw new UserInputException($"evaluation carve {Name} of {split}: {size} images stratified by class need more never-scored images than the {classes.Length}-image training split has " +
                                            $"({capacity.Sum()} never scored; per class {string.Join(", ", capacity)}).");
    }

    /// <summary>
    /// Splits <paramref name="train"/> (the whole training split of <paramref name="split"/>, as loaded) into
    /// (remainder, carve): every image outside the carve, and the carve. Disposes <paramref name="train"/>.
    /// </summary>
    public static (ImageDataset Remainder, ImageDataset HeldOut) Split(string split, ImageDataset train)
    {
        using (train)
        {
            var carved = Indices(split, train.LabelValues(LabelKeys.Class), train.NumClasses(LabelKeys.Class));
            return (train.Without(carved), train.Subset(carved));
        }
    }
}
