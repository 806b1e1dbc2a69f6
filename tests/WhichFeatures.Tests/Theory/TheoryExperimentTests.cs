using WhichFeatures.Core;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Theory;

/// <summary>Small runs of every experiment asserting its criterion, over 3 seeds.</summary>
[Collection("torch")]
public class TheoryExperimentTests
{
    private static readonly TheoryRunOptions Quick = new() { Seeds = 3, Quick = true };

    private static ClaimResult Claim(ExperimentResult r, string id) => r.Claims.Single(c => c.Id == id);
    private static double Mean(ClaimResult c, string key) => c.Values.Single(v => v.Key == key).Value.Mean;

    [Fact]
    public void CcMinimizersHold()
    {
        var r = TheorySuite.Get("cc-minimizers").Run(Quick, NullProgress.Instance);
        var cc1 = Claim(r, "CC-1");
        var cc2 = Claim(r, "CC-2");
        Assert.True(cc1.Holds, cc1.Notes);
        Assert.True(cc2.Holds, cc2.Notes);
        Assert.True(Mean(cc1, "relative_loss_difference") < 1e-9);
        Assert.Equal(3, cc1.Values.First().Value.PerSeed.Count);
    }

    [Fact]
    public void CcDynamicsLearnsThenUnlearns()
    {
        var r = TheorySuite.Get("cc-dynamics").Run(Quick, NullProgress.Instance);
        var c = Claim(r, "CC-3");
        Assert.True(c.Holds, c.Notes);
        Assert.True(Mean(c, "final_gram_distance_to_min_norm") <= CcDynamicsExperiment.DistanceThreshold);
        var plot = r.Plots.Single();
        Assert.True(plot.LogX);
        Assert.NotNull(plot.ReferenceLines);
    }

    [Fact]
    public void FsEmbeddingSuppressesAtP1()
    {
        var c = Claim(TheorySuite.Get("fs-embedding").Run(Quick, NullProgress.Instance), "FS-1");
        Assert.True(c.Holds, c.Notes);
    }

    [Fact]
    public void FsAugmentationSuppressesAtPEqualsN()
    {
        // p = n only (the sweep's hardest end for "arbitrarily large embedding"), fewer steps.
        var c = Claim(TheorySuite.Get("fs-augmentation").Run(Quick with { P = 32 }, NullProgress.Instance), "FS-2");
        Assert.True(c.Holds, c.Notes);
        Assert.True(Mean(c, "p32_test_class_acc_perfect") >= 0.95);
    }

    [Fact]
    public void JointAvoidsBoth()
    {
        var r = TheorySuite.Get("joint").Run(Quick, NullProgress.Instance);
        var c = Claim(r, "JOINT");
        Assert.True(c.Holds, c.Notes);
        Assert.True(Mean(c, "scl_beta1_test_subclass_acc") <= 0.65);
        Assert.Equal(11, r.Tables.Single().Rows.Count / 3);
    }

    [Fact]
    public void SameSeedGivesIdenticalResultsDifferentSeedDoesNot()
    {
        var e = TheorySuite.Get("cc-minimizers");
        var a = Claim(e.Run(Quick with { Seeds = 1, BaseSeed = 4 }, NullProgress.Instance), "CC-2").Values;
        var b = Claim(e.Run(Quick with { Seeds = 1, BaseSeed = 4 }, NullProgress.Instance), "CC-2").Values;
        var c = Claim(e.Run(Quick with { Seeds = 1, BaseSeed = 5 }, NullProgress.Instance), "CC-2").Values;
        Assert.Equal(a.Select(v => v.Value.Mean), b.Select(v => v.Value.Mean));
        Assert.NotEqual(a.Select(v => v.Value.Mean), c.Select(v => v.Value.Mean));
    }

    [Fact]
    public void InvalidOptionsNameTheParameter()
    {
        Assert.Contains("--p", Assert.Throws<UserInputException>(() => TheorySuite.Get("joint").Run(new TheoryRunOptions { P = 0 }, NullProgress.Instance)).Message);
        Assert.Contains("--beta", Assert.Throws<UserInputException>(() => TheorySuite.Get("joint").Run(new TheoryRunOptions { Beta = 1.5 }, NullProgress.Instance)).Message);
        Assert.Contains("d > n", Assert.Throws<UserInputException>(() => TheorySuite.Get("cc-minimizers").Run(new TheoryRunOptions { N = 400, D = 300 }, NullProgress.Instance)).Message);
        var unknown = Assert.Throws<UserInputException>(() => TheorySuite.Get("nope"));
        Assert.Contains("cc-dynamics", unknown.Message);
    }
}
