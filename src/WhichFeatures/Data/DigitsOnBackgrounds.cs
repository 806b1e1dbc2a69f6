using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// Digits on backgrounds (paper.md §5): each MNIST digit, zero-padded to 32x32 (centred) and repeated over 3
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
        var pairing = Pairing(digits.Count, backgrounds.Count, seed);

        using var scope = NewDisposeScope();
        int top = (Side - digits.Height) / 2, left = (Side - digits.Width) / 2;
        var pad = new long[] { left, Side - digits.Width - left, top, Side - digits.Height - top };
        var pairIdx = tensor(pairing, dtype: ScalarType.Int64);                                  // [N]
        var chunks = new List<Tensor>();
        const long chunk = 8192;
        for (long start = 0; start < digits.Count; start += chunk)
        {
            long len = Math.Min(chunk, digits.Count - start);
            var d = nn.functional.pad(digits.Images.narrow(0, start, len), pad)                   // [B, 1, 32, 32]
                .expand(len, 3, Side, Side);                                                      // [B, 3, 32, 32]
            var bg = backgrounds.Images.index_select(0, pairIdx.narrow(0, start, len));         // [B, 3, 32, 32]
            Tensor mixed = blend switch
            {
                DigitBlend.Max => maximum(d, bg),                                                 // [B, 3, 32, 32] uint8
                DigitBlend.Alpha => AlphaBlend(d, bg),
                _ => throw new ArgumentOutOfRangeException(nameof(blend)),
            };
            chunks.Add(mixed);
        }
        var images = chunks.Count == 1 ? chunks[0] : cat(chunks, 0);                              // [N, 3, 32, 32]
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
        return new ImageDataset(name ?? "digits-on-backgrounds", images, labels, names);
    }

    private static Tensor AlphaBlend(Tensor digit, Tensor background)
    {
        var a = digit.to_type(ScalarType.Float32) / 255.0;                                        // [B, 3, 32, 32]
        var bg = background.to_type(ScalarType.Float32);                                          // [B, 3, 32, 32]
        return (a * 255.0 + (1.0 - a) * bg).round().clamp(0, 255).to_type(ScalarType.Byte);       // [B, 3, 32, 32]
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
