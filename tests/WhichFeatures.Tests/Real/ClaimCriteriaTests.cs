using WhichFeatures.Experiments;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Real;

/// <summary>
/// The real-data claims' criteria on hand-made inputs just on both sides of each threshold (and each ordering), so a flipped
/// comparison or a wrong threshold fails here; the sentence must state every threshold as the check uses it.
/// </summary>
public class ClaimCriteriaTests
{
    /// <summary>Three seeds with mean <paramref name="mean"/> and sample standard deviation exactly <paramref name="std"/>.</summary>
    private static Stat Seeds3(double mean, double std) => Stat.Of([mean - std, mean, mean + std]);

    [Theory]
    // p4, p128, no-bits p4 (means); one std for all: each gap must exceed 2 x std
    [InlineData(0.70, 0.90, 0.95, 0.01, true)]
    [InlineData(0.70, 0.90, 0.95, 0.11, false)]    // gap p4 -> p128 = 0.20 < 2 x 0.11
    [InlineData(0.70, 0.7199, 0.95, 0.01, false)]  // p4 -> p128 gap 0.0199 < 0.02
    [InlineData(0.70, 0.95, 0.7199, 0.01, false)]  // p4 -> no bits gap 0.0199 < 0.02
    [InlineData(0.70, 0.7201, 0.7201, 0.01, true)] // every gap 0.0201 > 0.02
    [InlineData(0.70, 0.6999, 0.95, 0.0, false)]   // p128 below p4
    [InlineData(0.70, 0.90, 0.70, 0.0, false)]     // no suppression: the bits cost nothing at p = 4
    public void Fs_embedding_needs_suppression_at_4_and_recovery_at_128_outside_the_seed_spread(double p4, double p128, double ref4, double std, bool holds) =>
        Assert.Equal(holds, FsEmbeddingRandBitExperiment.SuppressedSmallRecoveredLarge.Holds(new(Seeds3(p4, std), Seeds3(p128, std), Seeds3(ref4, std))));

    [Theory]
    [InlineData(0.60, 0.57, 0.001, true)]
    [InlineData(0.60, 0.5701, 0.001, false)]   // drop below 3 points
    [InlineData(0.60, 0.50, 0.051, false)]     // drop 0.10 but inside 2 x 0.051
    [InlineData(0.60, 0.50, 0.0499, true)]
    [InlineData(0.50, 0.60, 0.0, false)]       // still rising
    public void Cc_over_training_needs_a_drop_of_three_points_outside_the_seed_spread(double peak, double last, double std, bool holds)
    {
        Assert.Equal(holds, CcOverTrainingExperiment.SubclassRisesThenFalls.Holds(new(Seeds3(peak, std), Seeds3(last, std))));
        Assert.Contains(">= 0.03", CcOverTrainingExperiment.SubclassRisesThenFalls.Sentence((SeedGap.SeedCount, 3)));
        Assert.Contains("2 x the larger standard deviation", CcOverTrainingExperiment.SubclassRisesThenFalls.Sentence((SeedGap.SeedCount, 3)));
    }

    [Theory]
    [InlineData(0.5, 0.6, 0.6, 0.01, true)]
    [InlineData(0.5, 0.6, 0.6, 0.051, false)]    // gaps 0.1 inside 2 x 0.051
    [InlineData(0.5, 0.5, 0.6, 0.0, false)]      // simclr = weak
    [InlineData(0.5, 0.6, 0.5, 0.0, false)]      // strong = weak
    [InlineData(0.7, 0.6, 0.65, 0.0, false)]
    public void Digits_on_backgrounds_needs_both_stronger_augmentations_above_weak_outside_the_spread(double weak, double simclr, double strong, double std, bool holds) =>
        Assert.Equal(holds, DigitsOnBackgroundsExperiment.BetterAugmentationLearnsDigit.Holds(new(Seeds3(weak, std), Seeds3(simclr, std), Seeds3(strong, std))));

    [Theory]
    [InlineData(0.3, 0.3, 0.4, 0.6, 0.6, 0.7, 0.01, true)]
    [InlineData(0.3, 0.3, 0.3, 0.6, 0.6, 0.6, 0.0, false)]     // ties are not evidence
    [InlineData(0.3, 0.3, 0.4, 0.6, 0.6, 0.7, 0.051, false)]   // gaps 0.1 inside 2 x 0.051
    [InlineData(0.41, 0.3, 0.4, 0.6, 0.6, 0.7, 0.0, false)]    // SCL beats joint on the subclass
    [InlineData(0.3, 0.41, 0.4, 0.6, 0.6, 0.7, 0.0, false)]    // UCL beats joint on the subclass
    [InlineData(0.3, 0.3, 0.4, 0.71, 0.6, 0.7, 0.0, false)]    // SCL beats joint on the class
    [InlineData(0.3, 0.3, 0.4, 0.6, 0.71, 0.7, 0.0, false)]    // UCL beats joint on the class
    public void Joint_needs_joint_above_both_on_both_labels_outside_the_spread(double sclSub, double uclSub, double jSub, double sclCls, double uclCls, double jCls, double std, bool holds) =>
        Assert.Equal(holds, JointLossExperiment.JointKeepsBoth.Holds((new(Seeds3(sclSub, std), Seeds3(uclSub, std), Seeds3(jSub, std)), new(Seeds3(sclCls, std), Seeds3(uclCls, std), Seeds3(jCls, std)))));

    [Theory]
    [InlineData(0.7501, 0.60, true)]    // +0.15 over a random encoder at 0.60
    [InlineData(0.7499, 0.60, false)]
    [InlineData(0.8751, 0.75, true)]    // random at 0.75: half its error, 0.125, is below 0.15 and is the bar
    [InlineData(0.8749, 0.75, false)]
    [InlineData(0.9451, 0.89, true)]    // random at 0.89: +0.15 is out of reach, half the error (0.055) is the bar
    [InlineData(0.9449, 0.89, false)]
    public void Learning_bar_beats_random_init_by_015_or_half_its_error(double trained, double randomInit, bool beats)
    {
        var bar = new LearningBar("class", "digits-on-backgrounds", Stat.Of([trained]), Stat.Of([randomInit]));
        Assert.Equal(beats, bar.BeatsRandomInit);
        Assert.True(bar.ReachesLiterature);   // no published number for this dataset
        Assert.False(new LearningBar("class", WhichFeatures.Data.DatasetRegistry.Cifar10, Stat.Of([0.54]), Stat.Of([0.3])).ReachesLiterature);   // 0.6 x 0.9074 = 0.544
        Assert.True(new LearningBar("class", WhichFeatures.Data.DatasetRegistry.Cifar10, Stat.Of([0.545]), Stat.Of([0.3])).ReachesLiterature);
    }

    [Fact]
    public void A_threshold_the_sentence_does_not_state_cannot_be_read()
    {
        var lo = new Threshold("lo", 0.5);
        var hi = new Threshold("hi", 1);
        var criterion = new Criterion<double>($"above {lo}", (c, x) => x > c[hi]);
        Assert.Throws<KeyNotFoundException>(() => criterion.Holds(2));
    }
}
