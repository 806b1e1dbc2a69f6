using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// Marked pairs: a hierarchy whose class is carried by a simple mark over subclasses that are objects, where
/// supervised contrastive learning can separate the classes through the mark alone and drop the objects
/// (docs/paper.md §5, class collapse; docs/real-experiments.md, "Third round"). Every CIFAR-10 image keeps its object
/// as <see cref="LabelKeys.Subclass"/>; its <see cref="LabelKeys.Class"/> is the object pair it belongs to
/// (<see cref="Pairs"/>: sky-sea, road, pets, hoofed, bird-frog). An MNIST digit 0-4, the
/// <see cref="LabelKeys.Mark"/>, is max-blended into the centre 28x28: on a share <c>agreement</c> of the images it
/// names the image's own pair, on the others another pair drawn uniformly, so the mark alone reads the class on about
/// that share and the objects must do the rest. The draws are seeded, so a split's marks are fixed by its images,
/// its digits and the seed.
/// </summary>
public static class MarkedPairs
{
    /// <summary>Output image side.</summary>
    public const int Side = 32;

    /// <summary>
    /// The share of images whose mark names their own pair, chosen on validation (docs/real-experiments.md, "Fourth
    /// round"): at 1 the class is read from the mark alone and SCL saturates on it.
    /// </summary>
    public const double DefaultAgreement = 0.9;

    /// <summary>CIFAR-10's ten objects in five pairs (<see cref="Cifar10Pairs.Map"/>); the pair's index is the digit that marks it.</summary>
    public static SuperclassMap Pairs => Cifar10Pairs.Map;

    /// <summary>Composes one split.</summary>
    /// <param name="objects">3 x 32 x 32 images whose class is a CIFAR-10 object (the subclass).</param>
    /// <param name="digits">1-channel images of side at most 32 (MNIST) with class = digit; digits 0-4 are used.</param>
    /// <param name="agreement">Share of images whose mark names their own pair, in (0, 1].</param>
    /// <param name="seed">Seed of the marks and of the digit drawn for each.</param>
    /// <param name="name">Name of the result.</param>
    public static ImageDataset Create(ImageDataset objects, ImageDataset digits, double agreement, long seed, string name = "marked-pairs")
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(digits);
        if (objects.Channels != 3 || objects.Height != Side || objects.Width != Side || objects.NumClasses() != Pairs.ClassCount)
            throw new UserInputException($"{objects.Name}: objects must be [3, {Side}, {Side}] images of {Pairs.ClassCount} classes, got [{objects.Channels}, {objects.Height}, {objects.Width}] of {objects.NumClasses()}");
        if (digits.Channels != 1 || digits.Height > Side || digits.Width > Side)
            throw new UserInputException($"{digits.Name}: digits must be 1-channel images of side at most {Side}, got [{digits.Channels}, {digits.Height}, {digits.Width}]");
        if (!(agreement > 0 && agreement <= 1))
            throw new ArgumentOutOfRangeException(nameof(agreement), agreement, "expected a share in (0, 1]");

        using var scope = NewDisposeScope();
        var objectLabels = objects.LabelValues(LabelKeys.Class);
        var pairs = objectLabels.Select(o => (long)Pairs.SuperclassOf[(int)o]).ToArray();
        var (marks, chosen) = DrawMarks(pairs, digits.LabelValues(LabelKeys.Class), Pairs.Names.Count, agreement, seed);

        var images = objects.Images.clone();                                                       // [N, 3, 32, 32]
        DigitsOnBackgrounds.BlendCentred(images, digits.Images, chosen, DigitBlend.Max);
        var labels = new Dictionary<string, Tensor>
        {
            [LabelKeys.Class] = tensor(pairs, dtype: ScalarType.Int64),                              // [N]
            [LabelKeys.Subclass] = tensor(objectLabels, dtype: ScalarType.Int64),                    // [N]
            [LabelKeys.Mark] = tensor(marks, dtype: ScalarType.Int64),                               // [N]
        };
        var names = new Dictionary<string, IReadOnlyList<string>>
        {
            [LabelKeys.Class] = Pairs.Names,
            [LabelKeys.Subclass] = objects.Names(),
            [LabelKeys.Mark] = Enumerable.Range(0, Pairs.Names.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        };
        return new ImageDataset(name, images, labels, names, sourceIndices: [.. objects.SourceIndices]);
    }

    /// <summary>
    /// Each image's mark (its pair with probability <paramref name="agreement"/>, else one of the other pairs,
    /// uniformly) and the index of the digit drawn for it: cycles over a seeded shuffle of each mark's digits.
    /// </summary>
    internal static (long[] Marks, long[] Digits) DrawMarks(long[] pairs, long[] digitLabels, int pairCount, double agreement, long seed)
    {
        var rng = new SeededRandom(seed);
        var pools = Enumerable.Range(0, pairCount).Select(m => digitLabels.Select((d, i) => (d, i: (long)i)).Where(x => x.d == m).Select(x => x.i).ToArray()).ToArray();
        for (int m = 0; m < pairCount; m++)
        {
            if (pools[m].Length == 0) throw new UserInputException($"marked pairs: no digit {m} among the {digitLabels.Length} digits given");
            rng.Shuffle(pools[m]);
        }
        var used = new long[pairCount];
        var marks = new long[pairs.Length];
        var chosen = new long[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            // 53 random bits as a double in [0, 1): the same on every machine.
            bool agrees = (rng.NextUInt64() >> 11) * (1.0 / (1UL << 53)) < agreement;
            long mark = agrees ? pairs[i] : (pairs[i] + 1 + rng.NextInt64(pairCount - 1)) % pairCount;
            var pool = pools[mark];
            marks[i] = mark;
            chosen[i] = pool[used[mark]++ % pool.Length];
        }
        return (marks, chosen);
    }
}
