using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// The per-sample draw of a <see cref="ColorJitter"/>: factors and the order the four operations run in.
/// Both tensors live on the CPU; dispose the instance when done.
/// </summary>
/// <param name="Factors">
/// float64 [B, 4]: brightness factor, contrast factor, saturation factor (1 = unchanged) and hue shift in turns
/// (0 = unchanged, 0.5 = half the colour wheel). A sample the jitter skips holds (1, 1, 1, 0).
/// </param>
/// <param name="Order">int64 [B, 4]: a permutation of the operation ids (0 brightness, 1 contrast, 2 saturation, 3 hue).</param>
public sealed record ColorJitterParameters(Tensor Factors, Tensor Order) : IDisposable
{
    /// <summary>Operation id of brightness in <see cref="Order"/>.</summary>
    public const int Brightness = 0;
    /// <summary>Operation id of contrast in <see cref="Order"/>.</summary>
    public const int Contrast = 1;
    /// <summary>Operation id of saturation in <see cref="Order"/>.</summary>
    public const int Saturation = 2;
    /// <summary>Operation id of hue in <see cref="Order"/>.</summary>
    public const int Hue = 3;

    /// <summary>Builds parameters from plain arrays (tests, reproductions): one row of 4 factors and one order per sample.</summary>
    /// <param name="factors">Per sample: brightness, contrast, saturation, hue (turns).</param>
    /// <param name="order">Per sample: a permutation of 0..3; null = the fixed order brightness, contrast, saturation, hue.</param>
    public static ColorJitterParameters From(double[][] factors, long[][]? order = null)
    {
        int b = factors.Length;
        var f = tensor(factors.SelectMany(r => r.Length == 4 ? r : throw new ArgumentException("each factor row needs 4 numbers", nameof(factors))).ToArray()).view(b, 4);
        var o = order is null
            ? arange(4, dtype: ScalarType.Int64).unsqueeze(0).expand(b, 4).contiguous()
            : tensor(order.SelectMany(r => r).ToArray(), dtype: ScalarType.Int64).view(b, 4);
        return new ColorJitterParameters(f, o);
    }

    /// <summary>Disposes both tensors.</summary>
    public void Dispose() { Factors.Dispose(); Order.Dispose(); }
}
