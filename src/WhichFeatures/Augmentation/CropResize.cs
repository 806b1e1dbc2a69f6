using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Crop + optional horizontal flip + bilinear resize of a whole batch, each sample with its own box, in one
/// affine_grid + grid_sample pass (align_corners = false, border padding).
/// </summary>
/// <remarks>
/// Output pixel u of a box (left, width) samples the input at x = left + (u + 0.5) * width / W_out - 0.5, as a
/// bilinear resize of the crop does (torchvision, antialias off). One difference: where that position falls
/// outside the box (within half a source pixel of its edge when upscaling) the sample blends in the image
/// pixel next to the box instead of repeating the box's edge pixel; at the image border it is clamped.
/// </remarks>
public static class CropResize
{
    /// <summary>Resamples every image from its box into an output of <paramref name="outHeight"/> x <paramref name="outWidth"/>.</summary>
    /// <param name="images">float32 [B, C, H, W].</param>
    /// <param name="boxes">[B, 4] (top, left, height, width) in pixels, any device and float dtype.</param>
    /// <param name="flips">bool [B] (true = mirror left-right) or null for none.</param>
    /// <param name="outHeight">Output height; 0 = input height.</param>
    /// <param name="outWidth">Output width; 0 = input width.</param>
    /// <returns>float32 [B, C, outHeight, outWidth].</returns>
    public static Tensor Apply(Tensor images, Tensor boxes, Tensor? flips, long outHeight = 0, long outWidth = 0)
    {
        ImageTensors.CheckBatch(images, nameof(CropResize));
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (boxes.dim() != 2 || boxes.shape[0] != b || boxes.shape[1] != 4)
            throw new ArgumentException($"boxes must be [{b}, 4], got [{string.Join(", ", boxes.shape)}]", nameof(boxes));
        if (outHeight <= 0) outHeight = h;
        if (outWidth <= 0) outWidth = w;
        using var scope = NewDisposeScope();
        var box = boxes.to(CPU).to_type(ScalarType.Float64);                                     // [B, 4]
        var top = box[.., 0]; var left = box[.., 1]; var bh = box[.., 2]; var bw = box[.., 3];    // [B] each
        // Normalised coordinates (align_corners = false): x_in = x_out * bw / W + (2 left + bw) / W - 1.
        var ax = bw.div(w);                                                                       // [B]
        if (flips is not null) ax = where(flips.to(CPU), ax.neg(), ax);                           // mirror inside the box
        var tx = left.mul(2).add(bw).div(w).sub(1);                                               // [B]
        var ay = bh.div(h);                                                                       // [B]
        var ty = top.mul(2).add(bh).div(h).sub(1);                                                // [B]
        var zero = zeros_like(ax);                                                                // [B]
        var theta = stack(new[] { ax, zero, tx, zero, ay, ty }, 1).view(b, 2, 3)                 // [B, 2, 3]
            .to_type(images.dtype).to(images.device);
        var grid = nn.functional.affine_grid(theta, new[] { b, c, outHeight, outWidth }, align_corners: false); // [B, Ho, Wo, 2]
        var output = nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false); // [B, C, Ho, Wo]
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Boxes that cover the whole image: float64 [B, 4] = (0, 0, H, W) per sample, on the CPU.</summary>
    /// <param name="batch">B.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    public static Tensor FullBoxes(long batch, long height, long width)
    {
        using var row = tensor(new double[] { 0, 0, height, width });
        return row.unsqueeze(0).expand(batch, 4).contiguous();
    }
}
