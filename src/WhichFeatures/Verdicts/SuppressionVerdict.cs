using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>Did the encoder suppress an attribute?</summary>
public enum SuppressionOutcome
{
    /// <summary>The reference reads it, and this encoder reads it decidedly worse.</summary>
    Suppressed,
    /// <summary>The reference reads it, and this encoder decidedly does not lose it.</summary>
    NotSuppressed,
    /// <summary>The gap's interval straddles the threshold.</summary>
    Undecided,
    /// <summary>No evidence the attribute was there to keep: no encoder reference, or the reference cannot read it either.</summary>
    NotJudged,
    /// <summary>A column the user marked as a control; never counted.</summary>
    Control,
}

/// <summary>
/// Feature suppression, one definition for <c>train</c>, <c>probe</c> and <c>diagnose</c>. Suppression needs
/// evidence that the feature was there to keep: a measured reference (random initialisation, a baseline embedding)
/// whose best reader reads it decidedly above near chance (<see cref="ReadabilityVerdict"/>). Then the attribute is
/// suppressed when the gap (this encoder's best reader − the reference's best reader) lies below
/// −<see cref="VerdictThresholds.Margin"/>, and not suppressed when it lies above. Against chance alone nothing is
/// judged: an attribute near chance may never have been in the input.
/// </summary>
/// <param name="Attribute">The attribute.</param>
/// <param name="Outcome">The verdict.</param>
/// <param name="Reference">What it compares with.</param>
/// <param name="Value">This encoder's best reader.</param>
/// <param name="ReferenceValue">The reference's best reader, or null.</param>
/// <param name="Gap">Value − ReferenceValue, or null.</param>
/// <param name="Sentence">One line for reports and the console.</param>
public sealed record SuppressionVerdict(string Attribute, SuppressionOutcome Outcome, ReferenceKind Reference, Accuracy Value, Accuracy? ReferenceValue, AccuracyGap? Gap, string Sentence)
{
    /// <summary>"suppressed", "not suppressed", "undecided", "not judged", "control".</summary>
    public string Text => Describe(Outcome);

    /// <summary>Report wording of an outcome.</summary>
    public static string Describe(SuppressionOutcome o) => o switch
    {
        SuppressionOutcome.Suppressed => "suppressed",
        SuppressionOutcome.NotSuppressed => "not suppressed",
        SuppressionOutcome.Undecided => "undecided",
        SuppressionOutcome.Control => "control",
        _ => "not judged",
    };

    /// <summary>Judges one attribute; <paramref name="reference"/> null (or kind Chance) means no encoder reference.</summary>
    public static SuppressionVerdict Judge(string attribute, Readout trained, Readout? reference, ReferenceKind kind, double chance, double majority, bool control = false)
    {
        var best = trained.Best;
        if (control)
            return Make(attribute, SuppressionOutcome.Control, kind, best, null, null, "a control column: it shows what an absent feature looks like and is never counted");
        if (reference is null || kind == ReferenceKind.Chance)
            return Make(attribute, SuppressionOutcome.NotJudged, ReferenceKind.Chance, best, null, null,
                "no encoder reference shows it was there to keep (give the embeddings of a baseline encoder, e.g. the same encoder at initialisation)");
        var refVerdict = ReadabilityVerdict.Judge(reference, chance, majority);
        if (refVerdict.Outcome is Readability.NearChance or Readability.Undecided)
            return Make(attribute, SuppressionOutcome.NotJudged, kind, best, reference.Best, null,
                $"at {kind.Describe()} it is {refVerdict.Text} ({reference.Best}), so there is no evidence it was there to keep");
        var gap = AccuracyGap.Between(best, reference.Best);
        var o = gap.Against(-VerdictThresholds.Margin) switch
        {
            Side.Below => SuppressionOutcome.Suppressed,
            Side.Above => SuppressionOutcome.NotSuppressed,
            _ => SuppressionOutcome.Undecided,
        };
        return Make(attribute, o, kind, best, reference.Best, gap,
            $"best reader {best} ({trained.BestReader}) vs {reference.Best} at {kind.Describe()}: gap {gap}; suppressed means the gap's 95 % interval lies below −{VerdictThresholds.Margin}");
    }

    private static SuppressionVerdict Make(string a, SuppressionOutcome o, ReferenceKind kind, Accuracy value, Accuracy? reference, AccuracyGap? gap, string detail) =>
        new(a, o, kind, value, reference, gap, string.Create(CultureInfo.InvariantCulture, $"'{a}' {Describe(o)}: {detail}."));
}

/// <summary>The feature-suppression verdict over all attributes of one encoder.</summary>
public static class SuppressionSummary
{
    /// <summary>
    /// "suppression found" when some attribute is suppressed; else "undecided" when some is undecided; else
    /// "not found" when some attribute was judged; else "not judged". Controls never count.
    /// </summary>
    public static string Judge(IEnumerable<SuppressionVerdict> verdicts)
    {
        var v = verdicts.Select(x => x.Outcome).Where(o => o != SuppressionOutcome.Control).ToList();
        return v.Contains(SuppressionOutcome.Suppressed) ? "suppression found"
            : v.Contains(SuppressionOutcome.Undecided) ? "undecided"
            : v.Contains(SuppressionOutcome.NotSuppressed) ? "not found"
            : "not judged";
    }
}
