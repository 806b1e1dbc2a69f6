using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// Every test image the real suite's runs before round 3 could have scored, reconstructed from its presets: the first
/// suite (one test size for every experiment), the presets of the first and the second test run, and each one's
/// <c>--quick</c>, each over seeds 0, 1 and 2 (the first suite ran seeds 0 and 1 only; the union is taken over all
/// three). docs/real-experiments.md ("Test split of round 3") lists where each size comes from. A draw of one seed is
/// nested in every larger draw of that seed, so the union is decided by the largest sizes; every size is listed so
/// that the list can be checked against the presets.
/// </summary>
public static class EarlierTestDraws
{
    /// <summary>The seeds every draw is taken over.</summary>
    public static IReadOnlyList<int> RunSeeds { get; } = [0, 1, 2];

    /// <summary>Every draw, by test split and size.</summary>
    public static IReadOnlyList<ScoredTestDraw> All { get; } =
    [
        new(DatasetRegistry.Mnist, 5000, false, "rounds 1-2 default: MNIST-RandBit"),
        new(DatasetRegistry.Mnist, 2000, false, "rounds 1-2 default: joint; --quick: MNIST-RandBit; first rebuilt default and first suite default: digits"),
        new(DatasetRegistry.Mnist, 1000, false, "rounds 1-2 default and --quick: CC curve; default: digits; --quick: joint; first suite default and --quick: digits"),
        new(DatasetRegistry.Mnist, 500, false, "first suite --quick: digits"),
        new(DatasetRegistry.Mnist, 400, false, "rounds 1-2 --quick: digits; first suite --quick: digits"),
        new(DatasetRegistry.Cifar10, 2000, false, "rounds 1-2 default: CIFAR10-RandBit; first suite default: every CIFAR-10 experiment"),
        new(DatasetRegistry.Cifar10, 1000, false, "rounds 1-2 --quick: CIFAR10-RandBit; first suite default and --quick: every CIFAR-10 experiment"),
        new(DatasetRegistry.Cifar10, 500, false, "first suite --quick: every CIFAR-10 experiment"),
        new(DatasetRegistry.Cifar10, 400, false, "first suite --quick: every CIFAR-10 experiment"),
        new(DatasetRegistry.Cifar10, 2000, true, "first rebuilt default and first suite default: digits' backgrounds"),
        new(DatasetRegistry.Cifar10, 1000, true, "rounds 1-2 default: digits' backgrounds; first suite default and --quick"),
        new(DatasetRegistry.Cifar10, 500, true, "first suite --quick: digits' backgrounds"),
        new(DatasetRegistry.Cifar10, 400, true, "rounds 1-2 --quick: digits' backgrounds; first suite --quick"),
    ];

    /// <summary>Whether earlier runs drew from the test split of <paramref name="split"/> (a canonical dataset name).</summary>
    public static bool Drew(string split) => All.Any(d => d.Split == split);

    /// <summary>
    /// Which of the test images of <paramref name="split"/> the draws scored, given the split's class labels
    /// (<paramref name="classes"/>, one per image in file order, values below <paramref name="numClasses"/>): the
    /// same index selections the runs made (<see cref="ImageDataset.TakeIndices"/>, <see cref="DigitsOnBackgrounds.Pairing"/>).
    /// </summary>
    public static bool[] Scored(string split, long[] classes, int numClasses)
    {
        var scored = new bool[classes.Length];
        foreach (var draw in All.Where(d => d.Split == split))
            foreach (int seed in RunSeeds)
                foreach (long i in Indices(draw, classes, numClasses, seed))
                    scored[i] = true;
        return scored;
    }

    /// <summary>The test images <paramref name="draw"/> took for run seed <paramref name="seed"/>.</summary>
    public static long[] Indices(ScoredTestDraw draw, long[] classes, int numClasses, int seed) => draw.AsBackgrounds
        // DatasetRegistry.LoadDigitsOnBackgrounds: test digits and their pairing with the whole CIFAR-10 test split both use seed + 1.
        ? DigitsOnBackgrounds.Pairing(Math.Min(draw.Size, classes.Length), classes.Length, seed + 1)
        : ImageDataset.TakeIndices(classes, numClasses, Math.Min(draw.Size, classes.Length), Seeds.TestSubset(seed), stratified: true);
}
