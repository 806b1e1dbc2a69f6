using WhichFeatures.Verdicts;

namespace WhichFeatures.Tests.Verdicts;

/// <summary>
/// The verdict rules of Verdicts/ on hand-made numbers: the intervals against the worked examples of Newcombe
/// (Statistics in Medicine 17, 1998, tables I and II), and every verdict on both sides of its threshold and inside
/// the noise.
/// </summary>
public class VerdictRuleTests
{
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void WilsonIntervalMatchesNewcombesTable(int correct, int rows, double lower, double upper)
    {
        var a = Accuracy.Of(correct, rows);
        Assert.Equal((double)correct / rows, a.Value, 12);
        Assert.Equal(lower, a.Lower, 4);
        Assert.Equal(upper, a.Upper, 4);
    }

    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    public void GapIntervalIsNewcombesMethodTen(int c1, int n1, int c2, int n2, double lower, double upper)
    {
        var g = AccuracyGap.Between(Accuracy.Of(c1, n1), Accuracy.Of(c2, n2));
        Assert.Equal((double)c1 / n1 - (double)c2 / n2, g.Value, 12);
        Assert.Equal(lower, g.Lower, 4);
        Assert.Equal(upper, g.Upper, 4);
    }

    [Fact]
    public void AnExactReferenceLeavesTheAccuracysOwnInterval()
    {
        var a = Accuracy.Of(300, 500);
        var g = AccuracyGap.Between(a, Accuracy.Exact(0.5));
        Assert.Equal(a.Lower - 0.5, g.Lower, 12);
        Assert.Equal(a.Upper - 0.5, g.Upper, 12);
        Assert.Equal(0, Accuracy.Exact(0.5).Rows);
    }

    [Fact]
    public void FoldsThatDisagreeWidenTheIntervalToTheirSpread()
    {
        var agree = Accuracy.Of(800, 1000, [0.80, 0.80, 0.80, 0.80, 0.80]);
        Assert.Equal(Accuracy.Of(800, 1000), agree);                                          // no spread: Wilson alone
        double[] folds = [0.60, 0.70, 0.80, 0.90, 1.00];
        var disagree = Accuracy.Of(800, 1000, folds);
        double std = Math.Sqrt(folds.Sum(f => (f - 0.8) * (f - 0.8)) / 4);
        Assert.Equal(0.8 - Accuracy.Z * std / Math.Sqrt(5), disagree.Lower, 12);
        Assert.Equal(0.8 + Accuracy.Z * std / Math.Sqrt(5), disagree.Upper, 12);
    }

    [Theory]
    [InlineData(0.5, 0.6, 0.0, "Above")]
    [InlineData(-0.6, -0.5, 0.0, "Below")]
    [InlineData(-0.1, 0.1, 0.0, "Undecided")]
    [InlineData(-0.05, -0.03, -0.02, "Below")]
    [InlineData(-0.05, 0.01, -0.02, "Undecided")]
    public void AGapIsDecidedOnlyWhenItsWholeIntervalLiesOnOneSide(double lower, double upper, double threshold, string side) =>
        Assert.Equal(Enum.Parse<Side>(side), new AccuracyGap((lower + upper) / 2, lower, upper).Against(threshold));

    [Fact]
    public void ReadabilityBandsAndBothReaders()
    {
        Readability R(int probe, int? knn, double chance = 0.5) =>
            ReadabilityVerdict.Judge(new Readout(Accuracy.Of(probe, 2000), knn is { } k ? Accuracy.Of(k, 2000) : null), chance, 0).Outcome;
        Assert.Equal(Readability.WellAboveChance, R(1900, null));
        Assert.Equal(Readability.NearChance, R(1000, null));
        Assert.Equal(Readability.PartlyDecodable, R(1300, null));                              // lift 0.30
        Assert.Equal(Readability.Undecided, R(1500, null));                                    // lift 0.50: the interval straddles it
        // Near chance only when no reader reads it: kNN reading it is enough.
        Assert.Equal(Readability.WellAboveChance, R(1000, 1900));
        Assert.Equal("kNN", new Readout(Accuracy.Of(1000, 2000), Accuracy.Of(1900, 2000)).BestReader);
        // The baseline is max(chance, majority).
        Assert.Equal(Readability.NearChance, ReadabilityVerdict.Judge(new Readout(Accuracy.Of(1760, 2000)), 0.5, 0.9).Outcome);
    }

    [Fact]
    public void LearntVerdictDoesNotFlipInsideTheNoise()
    {
        // The two runs that flipped before (1,000 test images): 0.862 and 0.859 against 0.851 at random init.
        var first = LearntVerdict.Judge(Accuracy.Of(862, 1000), Accuracy.Of(851, 1000));
        var second = LearntVerdict.Judge(Accuracy.Of(859, 1000), Accuracy.Of(851, 1000));
        Assert.Equal((LearntOutcome.Undecided, LearntOutcome.Undecided), (first.Outcome, second.Outcome));
        Assert.Equal(LearntOutcome.Learnt, LearntVerdict.Judge(Accuracy.Of(950, 1000), Accuracy.Of(851, 1000)).Outcome);
        Assert.Equal(LearntOutcome.NotLearnt, LearntVerdict.Judge(Accuracy.Of(8510, 10000), Accuracy.Of(8510, 10000)).Outcome);
        Assert.Contains("0.862 [", first.Sentence);
    }

    [Fact]
    public void CollapseNeedsALossAgainstAReferenceThatHadSomethingToLose()
    {
        Readout R(int c, int n = 1000) => new(Accuracy.Of(c, n), Accuracy.Of(c, n));
        // The SupCon run: 0.413 vs 0.423 at random init, chance 0.2: inside the noise, not "collapsed".
        Assert.Equal(CollapseOutcome.Undecided, CollapseVerdict.Judge(R(413), R(423), ReferenceKind.RandomInit, 0.2).Outcome);
        Assert.Equal(CollapseOutcome.Collapsed, CollapseVerdict.Judge(R(300), R(423), ReferenceKind.RandomInit, 0.2).Outcome);
        Assert.Equal(CollapseOutcome.NotCollapsed, CollapseVerdict.Judge(R(5000, 10000), R(5000, 10000), ReferenceKind.RandomInit, 0.2).Outcome);
        Assert.Equal(CollapseOutcome.NotJudged, CollapseVerdict.Judge(R(200), R(205), ReferenceKind.RandomInit, 0.2).Outcome);
        // Against chance: collapsed only when near chance, and below perfect is not collapse.
        Assert.Equal(CollapseOutcome.Collapsed, CollapseVerdict.Judge(R(2000, 10000), null, ReferenceKind.Chance, 0.2).Outcome);
        Assert.Equal(CollapseOutcome.NotCollapsed, CollapseVerdict.Judge(R(413), null, ReferenceKind.Chance, 0.2).Outcome);
        Assert.StartsWith("Subclass collapse: undecided.", CollapseVerdict.Judge(R(413), R(423), ReferenceKind.RandomInit, 0.2).Sentence);
    }

    [Fact]
    public void SuppressionNeedsEvidenceTheFeatureWasThere()
    {
        Readout R(int c) => new(Accuracy.Of(c, 1000));
        Assert.Equal(SuppressionOutcome.Suppressed, SuppressionVerdict.Judge("a", R(520), R(900), ReferenceKind.Baseline, 0.5, 0.5).Outcome);
        Assert.Equal(SuppressionOutcome.NotSuppressed, SuppressionVerdict.Judge("a", R(950), R(900), ReferenceKind.Baseline, 0.5, 0.5).Outcome);
        Assert.Equal(SuppressionOutcome.Undecided, SuppressionVerdict.Judge("a", R(890), R(900), ReferenceKind.Baseline, 0.5, 0.5).Outcome);
        Assert.Equal(SuppressionOutcome.NotJudged, SuppressionVerdict.Judge("a", R(500), R(510), ReferenceKind.Baseline, 0.5, 0.5).Outcome);
        Assert.Equal(SuppressionOutcome.NotJudged, SuppressionVerdict.Judge("a", R(500), null, ReferenceKind.Chance, 0.5, 0.5).Outcome);
        Assert.Equal(SuppressionOutcome.Control, SuppressionVerdict.Judge("a", R(500), R(900), ReferenceKind.Baseline, 0.5, 0.5, control: true).Outcome);
        Assert.Equal("suppression found", SuppressionSummary.Judge([SuppressionVerdict.Judge("a", R(520), R(900), ReferenceKind.Baseline, 0.5, 0.5)]));
        Assert.Equal("not judged", SuppressionSummary.Judge([SuppressionVerdict.Judge("a", R(520), R(900), ReferenceKind.Baseline, 0.5, 0.5, control: true)]));
    }
}
