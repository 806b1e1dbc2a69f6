using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>Did training teach the encoder the class?</summary>
public enum LearntOutcome
{
    /// <summary>The class gap over random initialisation lies above <see cref="VerdictThresholds.Margin"/>.</summary>
    Learnt,
    /// <summary>It lies below: no more than the margin above random initialisation.</summary>
    NotLearnt,
    /// <summary>The interval straddles the margin.</summary>
    Undecided,
}

/// <summary>
/// The learnt verdict: the trained encoder's class probe against the same probe on the same architecture at its
/// seeded random initialisation. Learnt when the gap's 95 % interval lies above <see cref="VerdictThresholds.Margin"/>,
/// not learnt when it lies below, undecided inside the noise.
/// </summary>
/// <param name="Outcome">The verdict.</param>
/// <param name="Trained">The trained encoder's class probe accuracy.</param>
/// <param name="RandomInit">The random-init encoder's.</param>
/// <param name="Gap">Trained − RandomInit.</param>
/// <param name="Sentence">One line for reports and the console.</param>
public sealed record LearntVerdict(LearntOutcome Outcome, Accuracy Trained, Accuracy RandomInit, AccuracyGap Gap, string Sentence)
{
    /// <summary>"learnt", "did not learn", "undecided".</summary>
    public string Text => Outcome switch
    {
        LearntOutcome.Learnt => "learnt",
        LearntOutcome.NotLearnt => "did not learn",
        _ => "undecided",
    };

    /// <summary>Judges the class probe against random initialisation.</summary>
    public static LearntVerdict Judge(Accuracy trained, Accuracy randomInit)
    {
        var gap = AccuracyGap.Between(trained, randomInit);
        var o = gap.Against(VerdictThresholds.Margin) switch
        {
            Side.Above => LearntOutcome.Learnt,
            Side.Below => LearntOutcome.NotLearnt,
            _ => LearntOutcome.Undecided,
        };
        var v = new LearntVerdict(o, trained, randomInit, gap, "");
        return v with { Sentence = $"Learnt: {v.Text}. {v.Detail}" };
    }

    /// <summary>The numbers and the rule, without the verdict word.</summary>
    public string Detail => string.Create(CultureInfo.InvariantCulture,
        $"Class probe {Trained} vs {RandomInit} at random initialisation: gap {Gap}; learnt means the gap's 95 % interval lies above {VerdictThresholds.Margin}.");
}
