using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Conversions and checks for image batches as the augmentation expects them: float32 [B, C, H, W] in [0, 1],
/// C = 1 (MNIST) or 3 (RGB). Extra constant channels (RandBit) are not images: the trainer appends them after
/// augmentation, so the augmentation never sees them.
/// </summary>
public static class ImageTensors
{
    /// <summary>ITU-R 601 luma weights (torchvision's rgb_to_grayscale): 0.2989 R + 0.587 G + 0.114 B.</summary>
    public static readonly double[] GrayWeights = { 0.2989, 0.587, 0.114 };

    /// <summary>
    /// uint8 images in [0, 255] to float32 in [0, 1]; a float32 tensor is returned as a new handle on the same data.
    /// </summary>
    /// <param name="images">[B, C, H, W] (or [C, H, W]) of dtype uint8 or float32.</param>
    public static Tensor ToFloat(Tensor images) =>
        images.dtype switch
        {
            ScalarType.Byte => images.to_type(ScalarType.Float32).div_(255.0),
            ScalarType.Float32 => images.alias(),
            _ => throw new ArgumentException($"images must be uint8 or float32, got {images.dtype}", nameof(images)),
        };

    /// <summary>Throws unless <paramref name="images"/> is a float32 [B, C, H, W] batch with C = 1 or 3.</summary>
    /// <param name="images">The batch to check.</param>
    /// <param name="who">The transform that checks, for the message.</param>
    public static void CheckBatch(Tensor images, string who)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"{who}: images must be [B, C, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"{who}: images must be float32 in [0, 1] (use ImageTensors.ToFloat), got {images.dtype}", nameof(images));
        long c = images.shape[1];
        if (c != 1 && c != 3)
            throw new ArgumentException($"{who}: images must have 1 or 3 channels, got {c} (append RandBit channels after augmentation)", nameof(images));
    }

    /// <summary>Per-pixel luma of an RGB batch: [B, 3, H, W] -> [B, 1, H, W]; a 1-channel batch is returned as is.</summary>
    /// <param name="images">float [B, C, H, W], C = 1 or 3.</param>
    public static Tensor Grayscale(Tensor images)
    {
        if (images.shape[1] == 1) return images.alias();
        using var w = tensor(GrayWeights, dtype: images.dtype, device: images.device).view(1, 3, 1, 1); // [1, 3, 1, 1]
        return images.mul(w).sum(1, keepdim: true);                                                        // [B, 1, H, W]
    }
}
