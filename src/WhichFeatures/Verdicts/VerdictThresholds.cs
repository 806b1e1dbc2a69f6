namespace WhichFeatures.Verdicts;

/// <summary>
/// The thresholds of every verdict, one name each, fixed before any data is seen. A verdict is decided only when the
/// 95 % interval of its number lies on one side of its threshold (<see cref="AccuracyGap.Against"/>); otherwise it
/// is "undecided".
/// </summary>
public static class VerdictThresholds
{
    /// <summary>
    /// Lift L = (accuracy − b) / (1 − b), b = max(chance, majority): "well above chance" when the interval of the
    /// best reader's lift lies at or above this.
    /// </summary>
    public const double WellAboveChanceLift = 0.5;

    /// <summary>"Near chance" when the interval of every reader's lift lies below this.</summary>
    public const double NearChanceLift = 0.1;

    /// <summary>
    /// Against a measured reference (random initialisation, a baseline embedding): information is lost (collapsed,
    /// suppressed) when the accuracy gap lies below −this, and the encoder learnt when the class gap lies above it.
    /// </summary>
    public const double Margin = 0.02;
}
