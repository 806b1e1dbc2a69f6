using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// <see cref="TrainingSetup"/>'s validation boundaries and its description (which must tell every setting apart).
/// </summary>
public class LinearSettingSetupAndMetricsTests
{
    [Fact]
    public void EveryBoundaryIsAcceptedAndEveryValueBeyondItIsRefusedByName()
    {
        var ok = new TrainingSetup();
        var accepted = new[]
        {
            ok with { P = 1 }, ok with { Steps = 1 }, ok with { LearningRate = 1e-12 }, ok with { InitStd = 1e-12 }, ok with { BatchSize = 0 },
            ok with { Beta = 0 }, ok with { Beta = 1 }, ok with { Temperature = 1e-6 }, ok with { LogPoints = 1 },
        };
        foreach (var s in accepted) Assert.Same(s, s.Validate());
        var refused = new (TrainingSetup Setup, string Option)[]
        {
            (ok with { P = 0 }, "--p"), (ok with { Steps = 0 }, "--steps"),
            (ok with { LearningRate = 0 }, "--lr"), (ok with { LearningRate = double.PositiveInfinity }, "--lr"), (ok with { LearningRate = double.NaN }, "--lr"),
            (ok with { InitStd = 0 }, "--init-std"), (ok with { InitStd = double.PositiveInfinity }, "--init-std"),
            (ok with { BatchSize = -1 }, "--batch"),
            (ok with { Beta = -0.01 }, "--beta"), (ok with { Beta = 1.01 }, "--beta"), (ok with { Beta = double.NaN }, "--beta"),
            (ok with { Temperature = 0 }, "--tau"), (ok with { Temperature = double.PositiveInfinity }, "--tau"),
            (ok with { LogPoints = 0 }, "log points"),
        };
        foreach (var (s, option) in refused)
            Assert.Contains(option + " ", Assert.Throws<UserInputException>(() => s.Validate()).Message);
    }

    [Fact]
    public void TheDescriptionNamesEverySetting()
    {
        static string N(double v) => v.ToString(CultureInfo.CurrentCulture);
        var s = new TrainingSetup { Kind = ContrastiveLossKind.Scl, LearningRate = 0.037, Steps = 1234, InitStd = 0.00021, P = 7 };
        string d = s.Describe();
        foreach (var part in new[] { "spectral", "SCL", "full-batch GD", "fixed training views", "lr " + N(0.037), "1234 steps", "init std " + N(0.00021), "p 7" })
            Assert.Contains(part, d);
        Assert.DoesNotContain("InfoNCE", d);

        string info = (s with { Family = LossFamily.InfoNce, Temperature = 0.25 }).Describe();
        Assert.Contains("InfoNCE (normalised, tau " + N(0.25) + ")", info);
        Assert.DoesNotContain("spectral", info);
        Assert.Contains("InfoNCE (unnormalised, tau", (s with { Family = LossFamily.InfoNce, Normalize = false }).Describe());
        Assert.Contains("spectral UCL", (s with { Kind = ContrastiveLossKind.Ucl }).Describe());
        Assert.Contains("joint (beta " + N(0.3) + ")", (s with { Kind = ContrastiveLossKind.Joint, Beta = 0.3 }).Describe());
        Assert.Contains("mini-batch SGD (batch 16)", (s with { BatchSize = 16 }).Describe());
        Assert.Contains("fresh views every step", (s with { FreshViews = true }).Describe());
    }
}
