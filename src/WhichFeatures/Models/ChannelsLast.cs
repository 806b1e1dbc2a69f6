using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// Channels-last (NHWC) memory order for CPU convolutions. TorchSharp 0.107 has no <c>memory_format</c> argument, so
/// the elements are copied in NHWC order (permute - contiguous) and the NHWC strides are set on them; libtorch's
/// convolution reads them (suggest_memory_format), runs its NHWC oneDNN kernels and keeps NHWC through BatchNorm,
/// ReLU and pooling. Shapes and values are unchanged:
/// only the order of the elements in memory differs; the measured speed-up is in docs/benchmarks.md. Only inputs are
/// made NHWC: TorchSharp 0.107 cannot save NHWC weights (module.save and optimiser state throw "Bytes() called on
/// non-contiguous tensor").
/// </summary>
public static class ChannelsLast
{
    /// <summary>The same [N, C, H, W] values with NHWC strides (HWC, 1, WC, C); other ranks are returned as a new handle.</summary>
    /// <param name="x">A 4-D tensor.</param>
    public static Tensor Of(Tensor x)
    {
        if (x.dim() != 4) return x.alias();
        long c = x.shape[1], h = x.shape[2], w = x.shape[3];
        using var nhwc = x.permute(0, 2, 3, 1).contiguous();                                    // [N, H, W, C], dense NHWC
        // Strides are set explicitly: with one channel, contiguous() keeps NCHW strides (HW, HW, W, 1), which libtorch
        // reads as NCHW, so MNIST-sized input ran its convolutions NCHW. (HW, 1, W, 1) reads as NHWC.
        return nhwc.as_strided(x.shape, [h * w * c, 1, w * c, c], nhwc.storage_offset());     // [N, C, H, W], NHWC in memory
    }

    /// <summary>
    /// Whether libtorch reads <paramref name="x"/> as NHWC: a port of c10's is_channels_last_strides_2d_s4, which its
    /// convolutions consult (suggest_memory_format). Walking C, W, H, N, each stride must reach the previous one times
    /// its size; a size-1 dimension's stride counts too, so a one-channel tensor with NCHW strides is not NHWC.
    /// </summary>
    /// <param name="x">Any tensor.</param>
    public static bool Is(Tensor x)
    {
        if (x.dim() != 4) return false;
        var size = x.shape;
        var stride = x.stride();
        if (stride[1] == 0) return false;                                                        // broadcast channels: NCHW by default
        long min = 0;
        foreach (int d in new[] { 1, 3, 2, 0 })
        {
            if (size[d] == 0 || stride[d] < min) return false;
            if (d == 0 && min == stride[1]) return false;                                        // N111 is ambiguous: NCHW by default
            min = stride[d] * Math.Max(size[d], 1);
        }
        return true;
    }
}
