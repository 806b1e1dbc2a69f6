namespace WhichFeatures.LinearSetting;

/// <summary>What the augmentation does to one feature group when it makes the second view.</summary>
public enum FeatureAugmentation
{
    /// <summary>Both views carry the example's own value (imperfect augmentation for an irrelevant feature).</summary>
    Keep,
    /// <summary>Each view gets a fresh, independent draw of the feature (the augmentation removes it).</summary>
    Redraw,
}

/// <summary>
/// Per feature group, whether the two augmented views keep or redraw it. The class feature is always kept
/// (it is what the views have in common by construction).
/// </summary>
/// <param name="Subclass">Subclass feature (a real, fine-grained feature: usually kept).</param>
/// <param name="Easy">Easy irrelevant features (the "random bit").</param>
/// <param name="Diverse">Diverse irrelevant features (the "background").</param>
/// <param name="Noise">Isotropic noise on the remaining coordinates (usually redrawn).</param>
public sealed record AugmentationModel(
    FeatureAugmentation Subclass = FeatureAugmentation.Keep,
    FeatureAugmentation Easy = FeatureAugmentation.Keep,
    FeatureAugmentation Diverse = FeatureAugmentation.Keep,
    FeatureAugmentation Noise = FeatureAugmentation.Redraw)
{
    /// <summary>No augmentation at all: both views are the training example itself (a fixed training set).</summary>
    public static AugmentationModel Identity { get; } = new(FeatureAugmentation.Keep, FeatureAugmentation.Keep, FeatureAugmentation.Keep, FeatureAugmentation.Keep);

    /// <summary>Imperfect augmentation: irrelevant features survive, only the noise is redrawn.</summary>
    public static AugmentationModel Imperfect { get; } = new();

    /// <summary>Perfect augmentation: every irrelevant feature (easy, diverse) and the noise are redrawn.</summary>
    public static AugmentationModel Perfect { get; } = new(FeatureAugmentation.Keep, FeatureAugmentation.Redraw, FeatureAugmentation.Redraw, FeatureAugmentation.Redraw);
}
