namespace WhichFeatures.Augmentation;

/// <summary>
/// The named augmentation presets (<c>--augment</c>); <see cref="AugmentationOptions.Preset"/> gives each one's settings
/// and <see cref="AugmentationOptions.Presets"/> its name, which config.json stores.
/// </summary>
public enum AugmentPreset
{
    /// <summary>none: the whole image, unchanged.</summary>
    None,
    /// <summary>crop: crop-and-resize of at least 50 % only.</summary>
    Crop,
    /// <summary>weak: crop of at least 60 %, flip.</summary>
    Weak,
    /// <summary>simclr: SimCLR's crop, flip, colour jitter, grayscale (stored as "simclr": one word, so the kebab-case name is the choice's).</summary>
    Simclr,
    /// <summary>strong: smaller crops, twice the jitter.</summary>
    Strong,
    /// <summary>strong-color: SimCLR's crops with strong's twice-the-jitter colour (a crop of 8 % can cut out a small object).</summary>
    StrongColor,
    /// <summary>strong-gray: SimCLR's crops and jitter with grayscale 80 % of the time (colour, not shape, is what it takes away).</summary>
    StrongGray,
}
