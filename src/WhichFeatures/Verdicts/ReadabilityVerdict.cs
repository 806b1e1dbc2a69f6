using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>How readable an attribute is, against the best trivial guess.</summary>
public enum Readability
{
    /// <summary>The best reader's lift interval lies at or above <see cref="VerdictThresholds.WellAboveChanceLift"/>.</summary>
    WellAboveChance,
    /// <summary>The best reader's lift interval lies between the two thresholds.</summary>
    PartlyDecodable,
    /// <summary>Every reader's lift interval lies below <see cref="VerdictThresholds.NearChanceLift"/>: neither reads it.</summary>
    NearChance,
    /// <summary>An interval straddles a threshold.</summary>
    Undecided,
}

/// <summary>
/// Can the attribute be read at all? The reference is always the best trivial guess b = max(chance, majority), and
/// the number is the lift L = (accuracy − b) / (1 − b) of each reader (linear probe, kNN), with the lift of its
/// accuracy interval's ends as its interval. Near chance only when no reader reads it; well above chance when the
/// best reader does, decidedly. It does not say whether training kept or lost the attribute: that needs a measured
/// reference (<see cref="SuppressionVerdict"/>).
/// </summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Reader">"linear probe" or "kNN": the best reader.</param>
/// <param name="Accuracy">The best reader's accuracy.</param>
/// <param name="Baseline">b = max(chance, majority).</param>
/// <param name="Lift">The best reader's lift.</param>
/// <param name="Sentence">One line for reports and the console.</param>
public sealed record ReadabilityVerdict(Readability Outcome, string Reader, Accuracy Accuracy, double Baseline, double Lift, string Sentence)
{
    /// <summary>Report wording of <see cref="Outcome"/>.</summary>
    public string Text => Describe(Outcome);

    /// <summary>"well above chance", "partly decodable", "near chance", "undecided".</summary>
    public static string Describe(Readability r) => r switch
    {
        Readability.WellAboveChance => "well above chance",
        Readability.PartlyDecodable => "partly decodable",
        Readability.NearChance => "near chance",
        _ => "undecided",
    };

    /// <summary>(accuracy − b) / (1 − b); 0 when b is already 1.</summary>
    public static double LiftOf(double accuracy, double baseline) => baseline >= 1 ? 0 : (accuracy - baseline) / (1 - baseline);

    /// <summary>Judges <paramref name="readout"/> against b = max(<paramref name="chance"/>, <paramref name="majority"/>).</summary>
    public static ReadabilityVerdict Judge(Readout readout, double chance, double majority)
    {
        double b = Math.Max(chance, majority);
        var best = readout.Best;
        double lo = LiftOf(best.Lower, b), hi = LiftOf(best.Upper, b);
        var outcome =
            readout.Readers.All(r => LiftOf(r.Upper, b) < VerdictThresholds.NearChanceLift) ? Readability.NearChance
            : lo >= VerdictThresholds.WellAboveChanceLift ? Readability.WellAboveChance
            : lo >= VerdictThresholds.NearChanceLift && hi < VerdictThresholds.WellAboveChanceLift ? Readability.PartlyDecodable
            : Readability.Undecided;
        string why = outcome == Readability.Undecided
            ? $"; its lift interval [{lo:0.00}, {hi:0.00}] straddles a threshold ({VerdictThresholds.NearChanceLift} or {VerdictThresholds.WellAboveChanceLift})"
            : "";
        string sentence = string.Create(CultureInfo.InvariantCulture,
            $"{Describe(outcome)}: best read by the {readout.BestReader} at {best} against b = max(chance, majority) = {b:0.000} (lift {LiftOf(best.Value, b):0.00}){why}.");
        return new ReadabilityVerdict(outcome, readout.BestReader, best, b, LiftOf(best.Value, b), sentence);
    }
}
