using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>Did the subclasses of a class collapse?</summary>
public enum CollapseOutcome
{
    /// <summary>Within-class subclass information is lost, decidedly, relative to the reference.</summary>
    Collapsed,
    /// <summary>It is decidedly not lost.</summary>
    NotCollapsed,
    /// <summary>The interval straddles the threshold.</summary>
    Undecided,
    /// <summary>Nothing to judge: the reference carries no subclass information either.</summary>
    NotJudged,
}

/// <summary>
/// Class collapse, one definition for <c>train</c>, <c>probe</c> and <c>diagnose</c>. The number is the best reader
/// (linear probe or kNN, each fitted within each class) of the subclass among the held-out rows of each class.
/// <list type="bullet">
/// <item>Against a measured reference (random initialisation or a baseline embedding, read the same way):
/// collapsed when the gap trained − reference lies below −<see cref="VerdictThresholds.Margin"/>, not collapsed when
/// it lies above; not judged when the reference itself is near chance (nothing was there to lose).</item>
/// <item>Against chance only (no encoder reference): collapsed when the subclass is near chance within its class
/// (<see cref="ReadabilityVerdict"/>), not collapsed when it is decidedly readable.</item>
/// </list>
/// Being below perfect is never collapse, and an untrained encoder compared with itself is never collapsed.
/// </summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Reference">What it compares with.</param>
/// <param name="Reader">The best reader of the encoder.</param>
/// <param name="Value">The encoder's best within-class subclass accuracy.</param>
/// <param name="ReferenceValue">The reference's best (chance as an exact rate when the reference is chance).</param>
/// <param name="Gap">Value − ReferenceValue with its interval, or null against chance.</param>
/// <param name="Sentence">One line for reports and the console.</param>
public sealed record CollapseVerdict(CollapseOutcome Outcome, ReferenceKind Reference, string Reader, Accuracy Value, Accuracy ReferenceValue, AccuracyGap? Gap, string Sentence)
{
    /// <summary>"collapsed", "not collapsed", "undecided", "not judged".</summary>
    public string Text => Outcome switch
    {
        CollapseOutcome.Collapsed => "collapsed",
        CollapseOutcome.NotCollapsed => "not collapsed",
        CollapseOutcome.Undecided => "undecided",
        _ => "not judged",
    };

    /// <summary>
    /// Judges the encoder's within-class subclass readout against <paramref name="reference"/> (null: against
    /// <paramref name="chance"/>, the held-out-weighted mean of 1 / subclasses per class).
    /// </summary>
    public static CollapseVerdict Judge(Readout trained, Readout? reference, ReferenceKind kind, double chance)
    {
        if (reference is null || kind == ReferenceKind.Chance)
        {
            var r = ReadabilityVerdict.Judge(trained, chance, 0);
            var outcome = r.Outcome switch
            {
                Readability.NearChance => CollapseOutcome.Collapsed,
                Readability.Undecided => CollapseOutcome.Undecided,
                _ => CollapseOutcome.NotCollapsed,
            };
            double lo = ReadabilityVerdict.LiftOf(trained.Best.Lower, chance), hi = ReadabilityVerdict.LiftOf(trained.Best.Upper, chance);
            return Make(outcome, ReferenceKind.Chance, trained, Accuracy.Exact(chance), null,
                $"within-class subclass accuracy {trained.Best} ({trained.BestReader}) against chance {chance:0.000}: lift interval [{lo:0.00}, {hi:0.00}]. " +
                $"No encoder reference was given, so collapsed means every reader's lift interval lies below {VerdictThresholds.NearChanceLift} (the subclass is near chance within its class)");
        }
        var refBest = reference.Best;
        if (ReadabilityVerdict.Judge(reference, chance, 0).Outcome == Readability.NearChance)
            return Make(CollapseOutcome.NotJudged, kind, trained, refBest, null,
                $"at {kind.Describe()} the subclass is near chance within its class ({refBest} against chance {chance:0.000}), so there was nothing to lose");
        var gap = AccuracyGap.Between(trained.Best, refBest);
        var o = gap.Against(-VerdictThresholds.Margin) switch
        {
            Side.Below => CollapseOutcome.Collapsed,
            Side.Above => CollapseOutcome.NotCollapsed,
            _ => CollapseOutcome.Undecided,
        };
        return Make(o, kind, trained, refBest, gap,
            $"within-class subclass accuracy {trained.Best} ({trained.BestReader}) vs {refBest} at {kind.Describe()} (chance {chance:0.000}): gap {gap}; collapsed means the gap's 95 % interval lies below −{VerdictThresholds.Margin}");
    }

    private static CollapseVerdict Make(CollapseOutcome o, ReferenceKind kind, Readout trained, Accuracy reference, AccuracyGap? gap, string detail)
    {
        var v = new CollapseVerdict(o, kind, trained.BestReader, trained.Best, reference, gap, "");
        return v with { Sentence = string.Create(CultureInfo.InvariantCulture, $"Subclass collapse: {v.Text}. {Capitalise(detail)}.") };
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
