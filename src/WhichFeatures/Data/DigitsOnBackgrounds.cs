using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// Digits on backgrounds (docs/paper.md §5): each MNIST digit, zero-padded to 32x32 (centred) and repeated over 3
/// channels, blended over a CIFAR-10 image (see <see cref="DigitBlend"/>). Labels: <see cref="LabelKeys.Class"/>
/// = <see cref="LabelKeys.Digit"/> = the digit (the feature of interest), <see cref="LabelKeys.Background"/> =
/// the CIFAR-10 class (the irrelevant feature). The pairing digit -> background is seeded: shuffled passes
/// over the backgrounds, so each background is used floor(N/M) or ceil(N/M) times.
/// </summary>
public static class DigitsOnBackgrounds
{
    /// <summary>Output image side.</summary>
    public const int Side = 32;

    /// <summary>Composes one split.</summary>
    /// <param name="digits">1-channel images of side at most 32 (MNIST), class = digit.</param>
    /// <param name="backgrounds">3 x 32 x 32 images (CIFAR-10), class = background class.</param>
    /// <param name="seed">Seed of the pairing.</param>
    /// <param name="blend">How the digit is blended.</param>
    /// <param name="name">Name of the result (default "digits-on-backgrounds").</param>
    public static ImageDataset Create(ImageDataset digits, ImageDataset backgrounds, long seed, DigitBlend blend = DigitBlend.Max, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(backgrounds);
        if (digits.Channels != 1 || digits.Height > Side || digits.Width > Side)
            throw new Core.UserInputException($"{digits.Name}: digits must be 1-channel images of side at most {Side}, got [{digits.Channels}, {digits.Height}, {digits.Width}]");
        if (backgrounds.Channels != 3 || backgrounds.Height != Side || backgrounds.Width != Side)
            throw new Core.UserInputException($"{backgrounds.Name}: backgrounds must be [3, {Side}, {Side}], got [{backgrounds.Channels}, {backgrounds.Height}, {backgrounds.Width}]");
        if (backgrounds.Count == 0) throw new Core.UserInputException($"{backgrounds.Name}: no background images");
        if (!Enum.IsDefined(blend)) throw new ArgumentOutOfRangeException(nameof(blend));
        var pairing = Pairing(digits.Count, backgrounds.Count, seed);

        using var scope = NewDisposeScope();
        var pairIdx = tensor(pairing, dtype: ScalarType.Int64);                                  // [N]
        var images = empty(new long[] { digits.Count, 3, Side, Side }, dtype: ScalarType.Byte);    // [N, 3, 32, 32]
        // Backgrounds: plain memory copies of whole images (fast even in Debug builds).
        using (var bgMem = backgrounds.Images.contiguous())
        {
            var output = images.bytes;
            var bgBytes = bgMem.bytes;
            const int image = 3 * Side * Side;
            for (long i = 0; i < digits.Count; i++)
                bgBytes.Slice((int)(pairing[i] * image), image).CopyTo(output.Slice((int)(i * image), image));
        }
        BlendCentred(images, digits.Images, digitOf: null, blend);
        var digitLabels = digits.ClassLabels.clone();                                             // [N]
        var bgLabels = backgrounds.ClassLabels.index_select(0, pairIdx);                          // [N]
        var labels = new Dictionary<string, Tensor>
        {
            [LabelKeys.Class] = digitLabels,
            [LabelKeys.Digit] = digitLabels.clone(),
            [LabelKeys.Background] = bgLabels,
        };
        var names = new Dictionary<string, IReadOnlyList<string>>
        {
            [LabelKeys.Class] = digits.Names(),
            [LabelKeys.Digit] = digits.Names(),
            [LabelKeys.Background] = backgrounds.Names(),
        };
        return new ImageDataset(name ?? "digits-on-backgrounds", images, labels, names, sourceIndices: [.. digits.SourceIndices]);   // source index = the MNIST digit
    }

    /// <summary>
    /// Blends a 1-channel digit into the centre of every image of <paramref name="images"/> (uint8 [N, 3, 32, 32]), in
    /// place, in chunks so the float work of Alpha stays small: image i takes digit <paramref name="digitOf"/>[i] of
    /// <paramref name="digitImages"/> (uint8 [M, 1, h, w]), or digit i when <paramref name="digitOf"/> is null.
    /// </summary>
    internal static void BlendCentred(Tensor images, Tensor digitImages, long[]? digitOf, DigitBlend blend)
    {
        int dh = (int)digitImages.shape[2], dw = (int)digitImages.shape[3];
        int top = (Side - dh) / 2, left = (Side - dw) / 2;
        const long chunk = 8192;
        for (long start = 0; start < images.shape[0]; start += chunk)
        {
            using var step = NewDisposeScope();
            long len = Math.Min(chunk, images.shape[0] - start);
            var region = images.narrow(0, start, len).narrow(2, top, dh).narrow(3, left, dw);     // [B, 3, h, w] view
            var rows = digitOf is null ? digitImages.narrow(0, start, len)                        // [B, 1, h, w]
                : digitImages.index_select(0, tensor(digitOf.AsSpan((int)start, (int)len).ToArray(), dtype: ScalarType.Int64));
            var d = rows.expand(len, 3, dh, dw);                                                  // [B, 3, h, w]
            region.copy_(blend == DigitBlend.Max ? maximum(region, d) : AlphaBlend(d, region));   // [B, 3, h, w]
        }
    }

    /// <summary>round(a*255 + (1-a)*bg) with a = digit/255: a white digit with its intensity as opacity.</summary>
    private static Tensor AlphaBlend(Tensor digit, Tensor background)
    {
        var a = digit.to_type(ScalarType.Float32) / 255.0;                                        // [B, 3, h, w]
        var bg = background.to_type(ScalarType.Float32);                                          // [B, 3, h, w]
        return (a * 255.0 + (1.0 - a) * bg).round().clamp(0, 255).to_type(ScalarType.Byte);       // [B, 3, h, w]
    }

    /// <summary>The background index of each of <paramref name="digitCount"/> digits: seeded shuffled passes over the backgrounds.</summary>
    public static long[] Pairing(long digitCount, long backgroundCount, long seed)
    {
        if (backgroundCount <= 0) throw new ArgumentOutOfRangeException(nameof(backgroundCount));
        var rng = new SeededRandom(seed);
        var result = new long[digitCount];
        var pass = Enumerable.Range(0, (int)backgroundCount).Select(i => (long)i).ToArray();
        for (long at = 0; at < digitCount; at += backgroundCount)
        {
            rng.Shuffle(pass);
            long take = Math.Min(backgroundCount, digitCount - at);
            Array.Copy(pass, 0, result, at, take);
        }
        return result;
    }
}
