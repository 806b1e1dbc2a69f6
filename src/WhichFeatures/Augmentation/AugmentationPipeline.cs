using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// SimCLR-style view generation for a whole batch with per-sample random parameters, on the images' device:
/// random resized crop and horizontal flip (one affine resampling), colour jitter, random grayscale.
/// </summary>
/// <remarks>
/// Input: uint8 [B, C, H, W] in [0, 255] or float32 in [0, 1], C = 1 or 3; output float32 [B, C, H, W] in [0, 1].
/// Parameters are drawn from the CPU generator in a fixed order (crop boxes, flips, jitter, grayscale), so the
/// same seed gives the same views on any device. The number of draws depends only on the batch size and the
/// transforms switched on, never on pixel values, and no global RNG is touched: saving the generator's state
/// (<c>get_state</c>) in a checkpoint is enough to resume with identical views. Extra constant channels (RandBit) are not the augmentation's
/// business: the trainer appends them to each view after this call, so no transform can remove them.
/// For 1-channel images saturation, hue and grayscale leave the image unchanged.
/// </remarks>
public sealed class AugmentationPipeline
{
    /// <summary>Builds the transforms the options switch on; invalid settings throw <see cref="Core.UserInputException"/>.</summary>
    /// <param name="options">Every setting (see <see cref="AugmentationOptions.Preset"/>).</param>
    public AugmentationPipeline(AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        // Construct every transform, even switched-off ones, so a bad value is reported whatever the switches say.
        var crop = new RandomResizedCrop(options.CropScaleMin, options.CropScaleMax, options.CropRatioMin, options.CropRatioMax);
        var flip = new RandomHorizontalFlip(options.FlipProbability);
        var jitter = new ColorJitter(options.Brightness, options.Contrast, options.Saturation, options.Hue, options.JitterProbability, options.JitterRandomOrder);
        var gray = new RandomGrayscale(options.GrayscaleProbability);
        Crop = options.RandomCrop ? crop : null;
        Flip = options.FlipProbability > 0 ? flip : null;
        bool jitterOn = options.JitterProbability > 0 && (options.Brightness > 0 || options.Contrast > 0 || options.Saturation > 0 || options.Hue > 0);
        Jitter = jitterOn ? jitter : null;
        Grayscale = options.GrayscaleProbability > 0 ? gray : null;
    }

    /// <summary>A pipeline from a preset (<c>none</c>, <c>crop</c>, <c>weak</c>, <c>simclr</c>, <c>strong</c>).</summary>
    /// <param name="preset">The preset.</param>
    public static AugmentationPipeline FromPreset(AugmentPreset preset) => new(AugmentationOptions.Preset(preset));

    /// <summary>The settings this pipeline was built from.</summary>
    public AugmentationOptions Options { get; }
    /// <summary>The random resized crop, or null when the whole image is kept.</summary>
    public RandomResizedCrop? Crop { get; }
    /// <summary>The horizontal flip, or null when off.</summary>
    public RandomHorizontalFlip? Flip { get; }
    /// <summary>The colour jitter, or null when off.</summary>
    public ColorJitter? Jitter { get; }
    /// <summary>The random grayscale, or null when off.</summary>
    public RandomGrayscale? Grayscale { get; }

    /// <summary>One augmented view of every image.</summary>
    /// <param name="images">uint8 or float32 [B, C, H, W], C = 1 or 3, on any device.</param>
    /// <param name="generator">CPU generator the parameters come from (seeded = reproducible).</param>
    /// <returns>float32 [B, C, H, W] in [0, 1] on the images' device.</returns>
    public Tensor Apply(Tensor images, Generator generator)
    {
        using var scope = NewDisposeScope();
        var x = ImageTensors.ToFloat(images);                                                 // [B, C, H, W]
        ImageTensors.CheckBatch(x, nameof(AugmentationPipeline));
        long b = x.shape[0], h = x.shape[2], w = x.shape[3];
        if (b == 0) return x.MoveToOuterDisposeScope();
        if (Crop is not null || Flip is not null)
        {
            var boxes = Crop is not null ? Crop.SampleBoxes(b, h, w, generator) : CropResize.FullBoxes(b, h, w); // [B, 4]
            var flips = Flip?.SampleFlips(b, generator);                                       // [B] or null
            x = Crop is null ? FlipOnly(x, flips!) : CropResize.Apply(x, boxes, flips);        // [B, C, H, W]
        }
        if (Jitter is not null) x = Jitter.Apply(x, generator);                                // [B, C, H, W]
        if (Grayscale is not null) x = Grayscale.Apply(x, generator);                          // [B, C, H, W]
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Two independent views of every image (the contrastive pair).</summary>
    /// <param name="images">uint8 or float32 [B, C, H, W].</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public (Tensor View1, Tensor View2) TwoViews(Tensor images, Generator generator) =>
        (Apply(images, generator), Apply(images, generator));

    // Without a crop a flip is an exact pixel copy; no need to resample.
    private static Tensor FlipOnly(Tensor x, Tensor flips) =>
        where(flips.to(x.device).view(-1, 1, 1, 1), x.flip(3), x);                            // [B, C, H, W]
}
