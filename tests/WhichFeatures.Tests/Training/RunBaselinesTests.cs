using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// The verdicts every probe report carries (Training/RunBaselines) at their stated margins, the baselines they attach,
/// and when the offline probe curve is due (Training/OfflineProbeCurve).
/// </summary>
[Collection("torch")]
public class RunBaselinesTests
{
    private static ProbeScore Score(string label, double test) => new(label, 4, 1.0, test);

    [Fact]
    public void LearntMeansMoreThanTheMarginAboveRandomInitOnTheClassLabel()
    {
        var random = new[] { Score(LabelKeys.Subclass, 0.9), Score(LabelKeys.Class, 0.5) };
        var (atMargin, line) = RunBaselines.LearnVerdict([Score(LabelKeys.Class, 0.5 + RunBaselines.LearnMargin)], random);
        Assert.False(atMargin);
        Assert.Equal("class probe 0.510 vs 0.500 at random initialisation (learnt means more than 0.01 above it)", line);
        Assert.True(RunBaselines.LearnVerdict([Score(LabelKeys.Subclass, 0.1), Score(LabelKeys.Class, 0.5101)], random).Learnt);
        Assert.False(RunBaselines.LearnVerdict([Score(LabelKeys.Class, 0.45)], random).Learnt);
        var noClass = RunBaselines.LearnVerdict([Score(LabelKeys.Subclass, 0.1)], random);
        Assert.Equal((true, "No class label to compare with random initialisation."), noClass);
        Assert.True(RunBaselines.LearnVerdict([Score(LabelKeys.Class, 0.1)], [Score(LabelKeys.Subclass, 0.9)]).Learnt);
    }

    [Fact]
    public void CollapseVerdictCarriesItsNumbersAndMargin()
    {
        var v = RunBaselines.CollapseVerdict(0.61, 0.7, 0.25);
        Assert.Equal((0.61, 0.7, 0.25, RunBaselines.CollapseMargin, true), (v.Trained, v.RandomInit, v.Chance, v.Margin, v.Collapsed));
        Assert.Equal("Subclass collapse: YES. Within-class subclass probe 0.610 vs 0.700 at random initialisation (chance 0.250); collapse means more than 0.02 below random initialisation.", v.Line);
        Assert.StartsWith("Subclass collapse: no.", RunBaselines.CollapseVerdict(0.69, 0.7, 0.25).Line);
    }

    [Fact]
    public void DatasetLabelsGetChanceAndMajorityAndUserLabelsKeepTheirs()
    {
        using var train = TinyLabelledImages.Make("train", 10, seed: 1);   // subclass i % 8: 0 and 1 twice
        using var test = TinyLabelledImages.Make("test", 5, seed: 2);
        var user = Score("user:colour", 0.4) with { Chance = 0.125, Majority = 0.3 };
        var scores = RunBaselines.WithChanceAndMajority([Score(LabelKeys.Subclass, 0.3), user], train, test);
        Assert.Equal(LabelBaselines.Chance(train.Labels[LabelKeys.Subclass]), scores[0].Chance);
        Assert.Equal(LabelBaselines.Majority(train.Labels[LabelKeys.Subclass], test.Labels[LabelKeys.Subclass]), scores[0].Majority);
        Assert.Equal(0.125, scores[1].Chance);
        Assert.Equal(0.3, scores[1].Majority);
    }

    [Theory]
    [InlineData(0, 7, "")]
    [InlineData(3, 7, "3 6 7")]
    [InlineData(2, 4, "2 4")]
    [InlineData(1, 3, "1 2 3")]
    [InlineData(9, 4, "4")]
    public void TheOfflineCurveIsDueEveryNthEpochAndAtTheLast(int every, int epochs, string due)
    {
        var cfg = new TrainConfig { Epochs = epochs, OfflineProbeEvery = every };
        Assert.Equal(due, string.Join(" ", Enumerable.Range(1, epochs).Where(e => OfflineProbeCurve.IsDue(cfg, e))));
        Assert.Equal("projection/subclass", OfflineProbeCurve.Key(OfflineProbeCurve.ProjectionLayer, LabelKeys.Subclass));
        Assert.Equal(["encoder", "projection"], OfflineProbeCurve.Layers);
    }
}
