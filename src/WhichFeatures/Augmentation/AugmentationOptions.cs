using WhichFeatures.Core;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Every setting of the augmentation pipeline, starting from a named preset and overridable with a
/// <c>with</c> expression. Validation happens when <see cref="AugmentationPipeline"/> builds the transforms.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The preset names <see cref="Presets"/> parses.</summary>
    public static IReadOnlyList<string> PresetNames => Presets.Names;

    /// <summary>Whether a random resized crop is drawn (false = the whole image).</summary>
    public bool RandomCrop { get; init; }
    /// <summary>Smallest crop area fraction, in (0, 1].</summary>
    public double CropScaleMin { get; init; } = 1.0;
    /// <summary>Largest crop area fraction, in [CropScaleMin, 1].</summary>
    public double CropScaleMax { get; init; } = 1.0;
    /// <summary>Smallest crop width/height ratio.</summary>
    public double CropRatioMin { get; init; } = 3.0 / 4.0;
    /// <summary>Largest crop width/height ratio.</summary>
    public double CropRatioMax { get; init; } = 4.0 / 3.0;
    /// <summary>Probability of a horizontal flip (0 = never).</summary>
    public double FlipProbability { get; init; }
    /// <summary>Colour-jitter brightness strength (0 = off).</summary>
    public double Brightness { get; init; }
    /// <summary>Colour-jitter contrast strength (0 = off).</summary>
    public double Contrast { get; init; }
    /// <summary>Colour-jitter saturation strength (0 = off).</summary>
    public double Saturation { get; init; }
    /// <summary>Colour-jitter hue strength in turns, at most 0.5 (0 = off).</summary>
    public double Hue { get; init; }
    /// <summary>Probability that a sample is colour-jittered (0 = never).</summary>
    public double JitterProbability { get; init; }
    /// <summary>Random order of the jitter operations per sample (true) or brightness, contrast, saturation, hue.</summary>
    public bool JitterRandomOrder { get; init; } = true;
    /// <summary>Probability that a sample is turned grey (0 = never).</summary>
    public double GrayscaleProbability { get; init; }

    /// <summary>
    /// The named presets: <c>none</c> (identity); <c>crop</c> (crop scale 0.5-1, nothing else); <c>weak</c> (crop scale 0.6-1 + flip); <c>simclr</c> (SupContrast's
    /// CIFAR recipe: crop 0.2-1, flip, jitter 0.4/0.4/0.4/0.1 with p 0.8, grayscale p 0.2); <c>strong</c>
    /// (crop 0.08-1, flip, jitter 0.8/0.8/0.8/0.2 with p 0.8, grayscale p 0.2); <c>strong-color</c> (strong with SimCLR's
    /// crop); <c>strong-gray</c> (simclr with grayscale p 0.8).
    /// </summary>
    /// <param name="preset">One of <see cref="Presets"/>.</param>
    public static AugmentationOptions Preset(AugmentPreset preset) => preset switch
    {
        AugmentPreset.None => new AugmentationOptions(),
        AugmentPreset.Crop => new AugmentationOptions { RandomCrop = true, CropScaleMin = 0.5 },
        AugmentPreset.Weak => new AugmentationOptions { RandomCrop = true, CropScaleMin = 0.6, FlipProbability = 0.5 },
        AugmentPreset.Simclr => new AugmentationOptions
        {
            RandomCrop = true, CropScaleMin = 0.2, FlipProbability = 0.5,
            Brightness = 0.4, Contrast = 0.4, Saturation = 0.4, Hue = 0.1, JitterProbability = 0.8,
            GrayscaleProbability = 0.2,
        },
        AugmentPreset.Strong => new AugmentationOptions
        {
            RandomCrop = true, CropScaleMin = 0.08, FlipProbability = 0.5,
            Brightness = 0.8, Contrast = 0.8, Saturation = 0.8, Hue = 0.2, JitterProbability = 0.8,
            GrayscaleProbability = 0.2,
        },
        AugmentPreset.StrongColor => Preset(AugmentPreset.Strong) with { CropScaleMin = Preset(AugmentPreset.Simclr).CropScaleMin },
        AugmentPreset.StrongGray => Preset(AugmentPreset.Simclr) with { GrayscaleProbability = 0.8 },
        _ => throw Presets.Unknown(preset.ToString()),
    };

    /// <summary>The <c>--augment</c> choices: the presets by name, as config.json stores them.</summary>
    public static ChoiceSet<AugmentPreset> Presets { get; } = new("--augment", "augmentation preset",
        new("none", AugmentPreset.None, "the whole image, unchanged"),
        new("crop", AugmentPreset.Crop, "crop-and-resize of at least 50 % only (Chen et al.'s RandBit setting)"),
        new("weak", AugmentPreset.Weak, "crop of at least 60 %, flip"),
        new("simclr", AugmentPreset.Simclr, "SimCLR's crop, flip, colour jitter, grayscale"),
        new("strong", AugmentPreset.Strong, "smaller crops, twice the jitter"),
        new("strong-color", AugmentPreset.StrongColor, "SimCLR's crops, twice the jitter"),
        new("strong-gray", AugmentPreset.StrongGray, "SimCLR's crops and jitter, grayscale 80 % of the time"));
}
