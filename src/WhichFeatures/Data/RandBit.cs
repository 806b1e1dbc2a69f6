using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// RandBit (Chen, Luo, Li 2021; docs/paper.md §5): each image gets an integer in [0, 2^k) whose k bits become k
/// constant extra channels, an easy irrelevant feature. The bits are stored as
/// <see cref="ImageDataset.ExtraChannels"/> float32 [N, k] (bit j of the value in column j, as 0 or 1) and the
/// value as label <see cref="LabelKeys.RandBit"/> for probing. The trainer appends them as constant channels
/// AFTER augmentation, to both views and to test images.
/// </summary>
public static class RandBit
{
    /// <summary>The largest k supported (label values must fit the label-name count).</summary>
    public const int MaxBits = 30;

    /// <summary>A copy of <paramref name="dataset"/> with k RandBit channels and the <see cref="LabelKeys.RandBit"/> label.</summary>
    /// <param name="dataset">The dataset (must not already carry RandBit).</param>
    /// <param name="k">Number of bits, 1 to <see cref="MaxBits"/>.</param>
    /// <param name="source">Hash of the image (default, deterministic) or seeded random.</param>
    /// <param name="seed">Seed for <see cref="RandBitSource.SeededRandom"/>; ignored for the hash.</param>
    public static ImageDataset Apply(ImageDataset dataset, int k, RandBitSource source = RandBitSource.ImageHash, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Labels.ContainsKey(LabelKeys.RandBit) || dataset.ExtraChannels is not null)
            throw new Core.UserInputException($"{dataset.Name}: already has extra channels / RandBit; apply RandBit once");
        var values = Values(dataset, k, source, seed);
        using var scope = NewDisposeScope();
        var v = tensor(values, dtype: ScalarType.Int64);                                       // [N]
        var shifts = arange(k, dtype: ScalarType.Int64);                                        // [k]
        var bits = v.unsqueeze(1).bitwise_right_shift(shifts).bitwise_and(1)                    // [N, k]
            .to_type(ScalarType.Float32);
        var labels = dataset.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        labels[LabelKeys.RandBit] = v;
        var names = new Dictionary<string, IReadOnlyList<string>>(dataset.LabelNames) { [LabelKeys.RandBit] = new NumberedLabelNames(1 << k) };
        return new ImageDataset(dataset.Name, dataset.Images.clone(), labels, names, bits);
    }

    /// <summary>The RandBit integer of every image, in [0, 2^k).</summary>
    public static long[] Values(ImageDataset dataset, int k, RandBitSource source = RandBitSource.ImageHash, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (k < 1 || k > MaxBits) throw new Core.UserInputException($"--randbits {k}: expected 1 to {MaxBits} bits");
        long n = dataset.Count;
        ulong mask = (1UL << k) - 1;
        var values = new long[n];
        if (source == RandBitSource.SeededRandom)
        {
            var rng = new SeededRandom(seed);
            for (long i = 0; i < n; i++) values[i] = (long)(rng.NextUInt64() & mask);
            return values;
        }
        if (n == 0) return values;
        // Hash straight from the tensor's memory (no copy of the pixels).
        using var contiguous = dataset.Images.contiguous();
        var pixels = contiguous.bytes;
        int per = dataset.Channels * dataset.Height * dataset.Width;
        for (long i = 0; i < n; i++)
            values[i] = (long)(HashImage(pixels.Slice((int)(i * per), per)) & mask);
        return values;
    }

    /// <summary>
    /// A 64-bit hash of an image's bytes: FNV-1a over 8-byte words (then the tail bytes), finished with the
    /// SplitMix64 mixer so that every output bit depends on every input byte. Fixed by this code.
    /// </summary>
    public static ulong HashImage(ReadOnlySpan<byte> image)
    {
        const ulong prime = 0x100000001B3UL;
        ulong h = 0xCBF29CE484222325UL ^ (ulong)image.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(image);
        foreach (var w in words) h = unchecked((h ^ w) * prime);
        for (int i = words.Length * 8; i < image.Length; i++) h = unchecked((h ^ image[i]) * prime);
        return SeededRandom.Mix(h);
    }
}
