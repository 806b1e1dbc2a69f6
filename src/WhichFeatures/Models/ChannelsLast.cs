using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// Channels-last (NHWC) memory order for CPU convolutions. TorchSharp 0.107 has no <c>memory_format</c> argument, so
/// the strides are made by permute - contiguous - permute; libtorch's convolution reads them (suggest_memory_format),
/// runs its NHWC oneDNN kernels and keeps NHWC through BatchNorm, ReLU and pooling. Shapes and values are unchanged:
/// only the order of the elements in memory differs; the measured speed-up is in docs/benchmarks.md. Only inputs are
/// made NHWC: TorchSharp 0.107 cannot save NHWC weights (module.save and optimiser state throw "Bytes() called on
/// non-contiguous tensor").
/// </summary>
public static class ChannelsLast
{
    /// <summary>The same [N, C, H, W] values with NHWC strides (HWC, 1, WC, C); other ranks are returned as a new handle.</summary>
    /// <param name="x">A 4-D tensor.</param>
    public static Tensor Of(Tensor x) =>
        x.dim() == 4 ? x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : x.alias();   // [N, C, H, W], NHWC in memory

    /// <summary>
    /// Whether <paramref name="x"/> is a 4-D tensor laid out NHWC. Strides of size-1 dimensions do not matter (as in
    /// libtorch): a [O, I, 1, 1] weight is NCHW and NHWC at once.
    /// </summary>
    /// <param name="x">Any tensor.</param>
    public static bool Is(Tensor x)
    {
        if (x.dim() != 4) return false;
        var size = x.shape;
        var stride = x.stride();
        long c = size[1], h = size[2], w = size[3];
        long[] expected = [h * w * c, 1, w * c, c];                                             // N, C, H, W
        return Enumerable.Range(0, 4).All(i => size[i] == 1 || stride[i] == expected[i]);
    }
}
