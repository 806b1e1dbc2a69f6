using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Random resized crop with per-sample boxes, torchvision's sampling rule: up to 10 attempts of an area fraction
/// uniform in <see cref="ScaleMin"/>..<see cref="ScaleMax"/> and a log-uniform aspect ratio in
/// <see cref="RatioMin"/>..<see cref="RatioMax"/>, integer box sizes, a uniform integer offset; a sample with no valid
/// attempt gets torchvision's fallback (the central crop clamped to the ratio range). The crop is resized
/// bilinearly by <see cref="CropResize"/> (affine_grid + grid_sample).
/// </summary>
public sealed class RandomResizedCrop
{
    private const int Attempts = 10;

    /// <summary>Creates the transform; throws <see cref="UserInputException"/> for invalid ranges.</summary>
    /// <param name="scaleMin">Smallest area fraction, in (0, 1].</param>
    /// <param name="scaleMax">Largest area fraction, in [scaleMin, 1].</param>
    /// <param name="ratioMin">Smallest width/height ratio, &gt; 0.</param>
    /// <param name="ratioMax">Largest width/height ratio, &gt;= ratioMin.</param>
    public RandomResizedCrop(double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4.0, double ratioMax = 4.0 / 3.0)
    {
        if (!(scaleMin > 0 && scaleMin <= 1))
            throw new UserInputException($"crop scale min = {scaleMin}: expected a number in (0, 1].");
        if (!(scaleMax >= scaleMin && scaleMax <= 1))
            throw new UserInputException($"crop scale max = {scaleMax}: expected a number in [scale min = {scaleMin}, 1].");
        if (!(ratioMin > 0 && double.IsFinite(ratioMin)))
            throw new UserInputException($"crop ratio min = {ratioMin}: expected a finite number > 0.");
        if (!(ratioMax >= ratioMin && double.IsFinite(ratioMax)))
            throw new UserInputException($"crop ratio max = {ratioMax}: expected a finite number >= ratio min = {ratioMin}.");
        ScaleMin = scaleMin; ScaleMax = scaleMax; RatioMin = ratioMin; RatioMax = ratioMax;
    }

    /// <summary>Smallest area fraction of a crop.</summary>
    public double ScaleMin { get; }
    /// <summary>Largest area fraction of a crop.</summary>
    public double ScaleMax { get; }
    /// <summary>Smallest width/height ratio of a crop.</summary>
    public double RatioMin { get; }
    /// <summary>Largest width/height ratio of a crop.</summary>
    public double RatioMax { get; }

    /// <summary>
    /// Draws one box per sample: float64 [B, 4] on the CPU holding (top, left, height, width) in whole pixels.
    /// </summary>
    /// <param name="batch">B.</param>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor SampleBoxes(long batch, long height, long width, Generator generator)
    {
        using var scope = NewDisposeScope();
        double area = height * width;
        var scale = RandomDraws.Uniform(generator, ScaleMin, ScaleMax, batch, Attempts);                      // [B, 10]
        var logRatio = RandomDraws.Uniform(generator, Math.Log(RatioMin), Math.Log(RatioMax), batch, Attempts); // [B, 10]
        var targetArea = scale.mul(area);                                                                   // [B, 10]
        var ratio = logRatio.exp();                                                                         // [B, 10]
        var w = targetArea.mul(ratio).sqrt().round();                                                       // [B, 10]
        var h = targetArea.div(ratio).sqrt().round();                                                       // [B, 10]
        var ok = w.gt(0).logical_and(w.le(width)).logical_and(h.gt(0)).logical_and(h.le(height));          // [B, 10]
        var first = ok.to_type(ScalarType.Int64).argmax(1, keepdim: true);                                  // [B, 1] first valid attempt
        var any = ok.any(1);                                                                                // [B]

        // torchvision's fallback when all attempts fail: the central crop, its ratio clamped to the range.
        double inRatio = (double)width / height, fw, fh;
        if (inRatio < RatioMin) { fw = width; fh = Math.Round(fw / RatioMin, MidpointRounding.ToEven); }
        else if (inRatio > RatioMax) { fh = height; fw = Math.Round(fh * RatioMax, MidpointRounding.ToEven); }
        else { fw = width; fh = height; }

        var bw = where(any, w.gather(1, first).squeeze(1), fw);                                              // [B]
        var bh = where(any, h.gather(1, first).squeeze(1), fh);                                              // [B]
        var uTop = RandomDraws.Uniform(generator, 0, 1, batch);                                              // [B]
        var uLeft = RandomDraws.Uniform(generator, 0, 1, batch);                                             // [B]
        var top = where(any, uTop.mul(bh.neg().add(height + 1)).floor(), bh.neg().add(height).div(2).floor()); // [B]
        var left = where(any, uLeft.mul(bw.neg().add(width + 1)).floor(), bw.neg().add(width).div(2).floor()); // [B]
        return stack(new[] { top, left, bh, bw }, 1).MoveToOuterDisposeScope();                              // [B, 4]
    }

    /// <summary>Crops every image with its own random box and resizes it back to H x W (no flip).</summary>
    /// <param name="images">float32 [B, C, H, W] in [0, 1].</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ImageTensors.CheckBatch(images, nameof(RandomResizedCrop));
        using var boxes = SampleBoxes(images.shape[0], images.shape[2], images.shape[3], generator);
        return CropResize.Apply(images, boxes, flips: null);
    }
}
