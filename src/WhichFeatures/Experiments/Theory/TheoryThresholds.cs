namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// Thresholds that several theory criteria share, named once so they cannot drift apart: subclasses count as
/// collapsed at the same accuracy in CC-1, CC-2 and JOINT, and a feature counts as suppressed at the same share
/// ratio in FS-1, FS-2 and JOINT.
/// </summary>
public static class TheoryThresholds
{
    /// <summary>Subclass test accuracy at or below which the subclasses count as collapsed (chance is 0.5).</summary>
    public static readonly Threshold Collapsed = new("collapsed", 0.65);

    /// <summary>A suppressed feature's share of the embedding is at most this times the remedy's share.</summary>
    public static readonly Threshold ShareRatio = new("share_ratio", 0.2, "0.0");
}
