using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// Tiny in-memory image datasets for training-loop tests: 3 x <see cref="Size"/> x <see cref="Size"/> images whose
/// pixels depend on the subclass (4 classes, 2 subclasses each, so that SCL and the probes have a signal) plus noise.
/// </summary>
internal static class TinyLabelledImages
{
    /// <summary>Image side in pixels.</summary>
    public const int Size = 12;

    /// <summary>
    /// <paramref name="n"/> images (subclass i % 8, class subclass / 2) drawn with <paramref name="seed"/>;
    /// <paramref name="labelPermutation"/> reorders the class and subclass labels (not the images); pixel noise is
    /// uniform in [-<paramref name="noise"/>, <paramref name="noise"/>].
    /// </summary>
    public static ImageDataset Make(string name, int n, int seed, long[]? labelPermutation = null, int noise = 30)
    {
        var rng = new Random(seed);
        var subclass = Enumerable.Range(0, n).Select(i => (long)(i % 8)).ToArray();
        var pixels = new byte[n * 3 * Size * Size];
        for (int i = 0; i < n; i++)
        for (int c = 0; c < 3; c++)
        for (int p = 0; p < Size * Size; p++)
            pixels[(i * 3 + c) * Size * Size + p] = (byte)Math.Clamp(40 + 20 * subclass[i] * (c + 1) % 200 + rng.Next(-noise, noise + 1), 0, 255);
        if (labelPermutation is not null) subclass = labelPermutation.Select(j => subclass[j]).ToArray();
        var cls = subclass.Select(s => s / 2).ToArray();
        var labels = new Dictionary<string, Tensor>
        {
            [LabelKeys.Class] = tensor(cls), [LabelKeys.Subclass] = tensor(subclass),
        };
        var names = new Dictionary<string, IReadOnlyList<string>>
        {
            [LabelKeys.Class] = new NumberedLabelNames(4), [LabelKeys.Subclass] = new NumberedLabelNames(8),
        };
        return new ImageDataset(name, tensor(pixels, [n, 3, Size, Size], dtype: ScalarType.Byte), labels, names);
    }
}
