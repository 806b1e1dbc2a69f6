using WhichFeatures.Experiments;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.TheoryModel;

namespace WhichFeatures.Tests.Real;

/// <summary>
/// The claims' criteria on hand-made inputs just on both sides of each threshold (and each ordering), so a flipped
/// comparison or a wrong threshold fails here; the sentence must state every threshold as the check uses it.
/// </summary>
public class ClaimCriteriaTests
{
    [Theory]
    [InlineData(0.30, 0.40, 0.40, true)]    // 4 < 64 = 128: the second comparison allows equality
    [InlineData(0.40, 0.40, 0.50, false)]   // 4 = 64: the first is strict
    [InlineData(0.41, 0.40, 0.50, false)]
    [InlineData(0.30, 0.40, 0.3999, false)] // 64 > 128
    public void Fs_embedding_randbit_needs_4_below_64_and_64_not_above_128(double p4, double p64, double p128, bool holds) =>
        Assert.Equal(holds, FsEmbeddingRandBitExperiment.LargerEmbeddingRecovers.Holds(new(p4, p64, p128)));

    [Theory]
    [InlineData(0.030, true)]
    [InlineData(0.0299, false)]
    [InlineData(0.20, true)]
    [InlineData(-0.01, false)]
    public void Cc_over_training_needs_a_mean_drop_of_at_least_three_points(double meanDrop, bool holds)
    {
        Assert.Equal(holds, CcOverTrainingExperiment.SubclassRisesThenFalls.Holds(meanDrop));
        Assert.Contains(">= 0.03 (3 points)", CcOverTrainingExperiment.SubclassRisesThenFalls.Sentence(("seeds", 3)));
    }

    [Theory]
    [InlineData(0.5, 0.6, 0.6, true)]
    [InlineData(0.5, 0.5, 0.6, false)]   // simclr = weak: strict
    [InlineData(0.5, 0.6, 0.5, false)]   // strong = weak: strict
    [InlineData(0.7, 0.6, 0.65, false)]
    public void Digits_on_backgrounds_needs_both_stronger_augmentations_above_weak(double weak, double simclr, double strong, bool holds) =>
        Assert.Equal(holds, DigitsOnBackgroundsExperiment.BetterAugmentationLearnsDigit.Holds(new(weak, simclr, strong)));

    [Theory]
    [InlineData(0.3, 0.3, 0.3, 0.6, 0.6, 0.6, true)]     // ties count as "at least as good"
    [InlineData(0.31, 0.3, 0.3, 0.6, 0.6, 0.6, false)]   // SCL beats joint on the subclass
    [InlineData(0.3, 0.31, 0.3, 0.6, 0.6, 0.6, false)]   // UCL beats joint on the subclass
    [InlineData(0.3, 0.3, 0.3, 0.61, 0.6, 0.6, false)]   // SCL beats joint on the class
    [InlineData(0.3, 0.3, 0.3, 0.6, 0.61, 0.6, false)]   // UCL beats joint on the class
    public void Joint_randbit_needs_joint_at_least_both_on_both_labels(double sclSub, double uclSub, double jSub, double sclCls, double uclCls, double jCls, bool holds) =>
        Assert.Equal(holds, JointRandBitExperiment.JointKeepsBoth.Holds((new(sclSub, uclSub, jSub), new(sclCls, uclCls, jCls))));

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
        Assert.Contains("reaches ≥ 0.90 at some step and ends at least 0.20 lower", CcDynamicsExperiment.LearnsThenUnlearns.Sentence());
        Assert.Contains("≤ 0.01.", CcDynamicsExperiment.LearnsThenUnlearns.Sentence());
        Assert.Contains("relative difference below 1e-9", CcMinimizersExperiment.NotAllMinimizersCollapse.Sentence());
        Assert.Contains("at the smallest embedding (p = 4)", FsEmbeddingExperiment.SmallEmbeddingSuppresses.Sentence(("p0", 4), ("remedy", 16)));
        Assert.Throws<ArgumentException>(() => FsEmbeddingExperiment.SmallEmbeddingSuppresses.Sentence(("p0", 4)));
        Assert.Throws<ArgumentException>(() => new Criterion<double>("above {lo}", (c, x) => x > c["lo"], new Threshold("hi", 1)));
    }
}
