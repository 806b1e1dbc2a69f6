using WhichFeatures.Experiments.Theory;
using WhichFeatures.LinearSetting;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// The theory lab's claim criteria on hand-made inputs just on both sides of each threshold, so a flipped comparison
/// or a wrong threshold fails here; the sentence must state every threshold as the check uses it.
/// </summary>
public class TheoryClaimCriteriaTests
{
    [Theory]
    [InlineData(0.95, 0.65, 1e-10, true)]
    [InlineData(0.9499, 0.65, 1e-10, false)]   // W* + αΔ not separated enough
    [InlineData(0.95, 0.6501, 1e-10, false)]   // W* not collapsed
    [InlineData(0.95, 0.65, 1e-9, false)]      // loss difference not below 1e-9
    public void Cc1_thresholds(double deltaAcc, double starAcc, double relLoss, bool holds)
    {
        var r = new CcMinimizersExperiment.SeedResult(LossStar: 1, LossDelta: 1 + relLoss, Alpha: 1,
            new ModelMetrics { TestSubclassAccuracy = starAcc }, new ModelMetrics { TestSubclassAccuracy = deltaAcc }, NullResidual: 0);
        Assert.Equal(holds, CcMinimizersExperiment.NotAllMinimizersCollapse.Holds(r));
    }

    [Theory]
    [InlineData(0.10, 0.65, true)]
    [InlineData(0.1001, 0.65, false)]
    [InlineData(0.10, 0.6501, false)]
    public void Cc2_thresholds(double weightRatio, double starAcc, bool holds)
    {
        var star = new ModelMetrics { ClassWeight = 2.0, SubclassWeight = 2.0 * weightRatio, TestSubclassAccuracy = starAcc };
        Assert.Equal(holds, CcMinimizersExperiment.MinNormCollapses.Holds(new(1, 1, 1, star, star, 0)));
    }

    [Theory]
    [InlineData(0.2, 0.95, 0.89, true)]
    [InlineData(0.2001, 0.95, 0.89, false)]   // share ratio above 0.2
    [InlineData(0.2, 0.9499, 0.80, false)]    // remedy accuracy below 0.95
    [InlineData(0.2, 0.95, 0.91, false)]      // gap below 0.05
    public void Fs1_thresholds(double shareRatio, double remedyAcc, double smallAcc, bool holds)
    {
        var pair = new FsEmbeddingExperiment.SizePair(new ModelMetrics { ClassShare = 0.5 * shareRatio, TestClassAccuracy = smallAcc },
                                                      new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = remedyAcc });
        Assert.Equal(holds, FsEmbeddingExperiment.SmallEmbeddingSuppresses.Holds(pair));
    }

    [Theory]
    [InlineData(0.2, 0.90, 0.95, true)]
    [InlineData(0.2001, 0.90, 0.95, false)]
    [InlineData(0.2, 0.95, 0.95, false)]      // imperfect must be strictly lower
    [InlineData(0.2, 0.90, 0.9499, false)]
    public void Fs2_thresholds(double shareRatio, double imperfectAcc, double perfectAcc, bool holds)
    {
        var pair = new FsAugmentationExperiment.AugmentationPair(new ModelMetrics { ClassShare = 0.4 * shareRatio, TestClassAccuracy = imperfectAcc },
                                                                 new ModelMetrics { ClassShare = 0.4, TestClassAccuracy = perfectAcc });
        Assert.Equal(holds, FsAugmentationExperiment.ImperfectAugmentationSuppresses.Holds(pair));
    }

    [Theory]
    [InlineData(0.65, 0.2, 0.80, 0.95, 0.90, true)]
    [InlineData(0.6501, 0.2, 0.80, 0.95, 0.90, false)]   // SCL does not collapse
    [InlineData(0.65, 0.2001, 0.80, 0.95, 0.90, false)]  // UCL does not suppress the share
    [InlineData(0.65, 0.2, 0.95, 0.95, 0.90, false)]     // UCL's class accuracy not lower
    [InlineData(0.65, 0.2, 0.80, 0.9499, 0.90, false)]   // joint class below 0.95
    [InlineData(0.65, 0.2, 0.80, 0.95, 0.8999, false)]   // joint subclass below 0.90
    public void Joint_thresholds(double sclSub, double uclShareRatio, double uclCls, double jointCls, double jointSub, bool holds)
    {
        var x = new JointExperiment.LossTriple(new ModelMetrics { TestSubclassAccuracy = sclSub },
            new ModelMetrics { ClassShare = 0.5 * uclShareRatio, TestClassAccuracy = uclCls },
            new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = jointCls, TestSubclassAccuracy = jointSub });
        Assert.Equal(holds, JointExperiment.JointAvoidsBoth.Holds(x));
    }

    [Fact]
    public void Sentences_state_each_threshold_as_written_and_need_every_runtime_value()
    {
        Assert.Contains("at the smallest embedding (p = 4)", FsEmbeddingExperiment.SmallEmbeddingSuppresses.Sentence((FsEmbeddingExperiment.SmallestSize, 4), (FsEmbeddingExperiment.RemedySize, 16)));
        Assert.Throws<ArgumentException>(() => FsEmbeddingExperiment.SmallEmbeddingSuppresses.Sentence((FsEmbeddingExperiment.SmallestSize, 4)));
        Assert.Throws<ArgumentException>(() => FsEmbeddingExperiment.SmallEmbeddingSuppresses.Sentence((FsEmbeddingExperiment.SmallestSize, 4), (FsEmbeddingExperiment.RemedySize, 16), (FsAugmentationExperiment.TrainingExamples, 32)));
        Assert.Contains("reaches ≥ 0.90 at some step and ends at least 0.20 lower", CcDynamicsExperiment.LearnsThenUnlearns.Sentence());
        Assert.Contains("≤ 0.01.", CcDynamicsExperiment.LearnsThenUnlearns.Sentence());
        Assert.Contains("relative difference below 1e-9", CcMinimizersExperiment.NotAllMinimizersCollapse.Sentence());
    }
}
