using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// The baselines every probe report attaches (Training/RunBaselines; the verdicts are tested in Verdicts/VerdictRuleTests),
/// and when the offline probe curve is due (Training/OfflineProbeCurve).
/// </summary>
[Collection("torch")]
public class RunBaselinesTests
{
    private static ProbeScore Score(string label, double test) => new(label, 4, 1.0, test);

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
