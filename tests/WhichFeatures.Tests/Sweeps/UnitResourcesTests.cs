using System.Globalization;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// <c>--time</c> / <c>--mem</c> default to a suite's measured unit cost times a margin (UnitResources,
/// MeasuredUnitCosts); what the user gives wins; the plan prints what it chose; each unit records what it cost.
/// </summary>
[Collection("torch")]
public class UnitResourcesTests
{
    private static TimeSpan Parse(string slurmTime)
    {
        var parts = slurmTime.Split('-');
        var hms = TimeSpan.ParseExact(parts[^1], @"hh\:mm\:ss", CultureInfo.InvariantCulture);
        return parts.Length == 2 ? hms + TimeSpan.FromDays(int.Parse(parts[0], CultureInfo.InvariantCulture)) : hms;
    }

    [Fact]
    public void TheMarginMultipliesTheKnownCostAndRoundsUp()
    {
        var r = UnitResources.From(new KnownUnitCost(1000, 3000, "test cost"));
        Assert.Equal("00:50:00", r.Time);   // 1000 s x 3 = 50 min
        Assert.Equal("5G", r.Memory);       // 3000 MB x 1.5 = 4.4 GB, up to 5
        Assert.StartsWith("test cost; x3 time", r.Basis);
        Assert.Equal("01:41:00", UnitResources.From(new KnownUnitCost(2001, 100, "")).Time);   // 100.05 min, up to 101
        Assert.Equal("1-06:00:00", UnitResources.From(new KnownUnitCost(10 * 3600, 100, "")).Time);
    }

    [Fact]
    public void TinyUnitsGetTheMinimums()
    {
        var r = UnitResources.From(new KnownUnitCost(1, 10, "tiny"));
        Assert.Equal(UnitResources.MinimumTime, Parse(r.Time));
        Assert.Equal($"{UnitResources.MinimumMemoryGigabytes}G", r.Memory);
    }

    [Fact]
    public void TheTheorySuiteAsksForMinutesNotHours()
    {
        foreach (var quick in new[] { false, true })
        {
            var r = UnitResources.For(SuiteKind.Theory, new TheoryRunOptions { Quick = quick }, null);
            Assert.True(Parse(r.Time) <= TimeSpan.FromMinutes(30), r.Time);
            Assert.True(int.Parse(r.Memory.TrimEnd('G'), CultureInfo.InvariantCulture) <= 2, r.Memory);
            Assert.Contains("theory suite", r.Basis);
            Assert.Contains("measured", r.Basis);
        }
    }

    [Fact]
    public void EachScaleHasItsOwnCostAndLongerEpochsAskForMoreTime()
    {
        RealRunOptions Real(ScaleKind scale, bool quick, double epochScale = 1) => new() { Scale = scale, Quick = quick, EpochScale = epochScale };
        var cpu = MeasuredUnitCosts.For(SuiteKind.Real, null, Real(ScaleKind.Cpu, false));
        var cpuQuick = MeasuredUnitCosts.For(SuiteKind.Real, null, Real(ScaleKind.Cpu, true));
        var paper = MeasuredUnitCosts.For(SuiteKind.Real, null, Real(ScaleKind.Paper, false));
        Assert.True(cpuQuick.LongestUnitSeconds < cpu.LongestUnitSeconds);
        Assert.True(cpu.LongestUnitSeconds < paper.LongestUnitSeconds);
        Assert.Contains("not measured", paper.Source);   // no GPU here: the paper scale is an estimate and says so
        Assert.DoesNotContain("not measured", cpu.Source);
        var longer = MeasuredUnitCosts.For(SuiteKind.Real, null, Real(ScaleKind.Cpu, false, 2.5));
        Assert.Equal(cpu.LongestUnitSeconds * 2.5, longer.LongestUnitSeconds, 6);
        Assert.Contains("x2.5 for --epoch-scale", longer.Source);
    }

    [Fact]
    public void WhatTheUserGivesWins()
    {
        var defaults = UnitResources.From(new KnownUnitCost(1, 10, "tiny"));
        Assert.Equal(("01:00:00", "3G", "as given"), Tuple(defaults.WithGiven("01:00:00", "3G")));
        var timeOnly = defaults.WithGiven("01:00:00", null);
        Assert.Equal(("01:00:00", defaults.Memory), (timeOnly.Time, timeOnly.Memory));
        Assert.StartsWith("--time as given; --mem from tiny", timeOnly.Basis);
        var memOnly = defaults.WithGiven(null, "3G");
        Assert.Equal((defaults.Time, "3G"), (memOnly.Time, memOnly.Memory));
        Assert.Same(defaults, defaults.WithGiven(null, null));
        static (string, string, string) Tuple(UnitResources r) => (r.Time, r.Memory, r.Basis);
    }

    [Fact]
    public void APlanPrintsItsChoicesAndWritesThemIntoTheScripts()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        var r = CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy");
        Assert.True(r.Code == 0, r.All);
        var expected = UnitResources.For(SuiteKind.Theory, new TheoryRunOptions(), null);
        Assert.Contains($"Per unit: --time {expected.Time} --mem {expected.Memory} (theory suite: longest measured unit", r.Out);
        Assert.Contains("override with --time / --mem", r.Out);
        Assert.Contains("Units start with: ", r.Out);
        var sbatch = File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile));
        Assert.Contains($"#SBATCH --time={expected.Time}\n", sbatch);
        Assert.Contains($"#SBATCH --mem={expected.Memory}\n", sbatch);
        Assert.Contains($"memory: \"{expected.Memory}i\"", File.ReadAllText(Path.Combine(dir, SweepScripts.KubernetesFile)));
    }

    [Fact]
    public void GivenTimeAndMemoryGoIntoTheScriptsAsGiven()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        var r = CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy", "--time", "2-00:00:00", "--mem", "12G");
        Assert.True(r.Code == 0, r.All);
        Assert.Contains("Per unit: --time 2-00:00:00 --mem 12G (as given).", r.Out);
        var sbatch = File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile));
        Assert.Contains("#SBATCH --time=2-00:00:00\n", sbatch);
        Assert.Contains("#SBATCH --mem=12G\n", sbatch);
        Assert.Contains("memory: \"12Gi\"", File.ReadAllText(Path.Combine(dir, SweepScripts.KubernetesFile)));
    }

    [Fact]
    public void ARealPaperPlanAsksForItsEstimate()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        var data = tmp.Sub("data");   // exists, so the plan is accepted; nothing runs
        var r = CliHarness.InProcess("reproduce", "--suite", "real", "--scale", "paper", "--data-dir", data, "--only", "cc-over-training", "--seeds", "1", "--plan", dir);
        Assert.True(r.Code == 0, r.All);
        var expected = UnitResources.From(MeasuredUnitCosts.RealPaper);
        Assert.Contains($"#SBATCH --time={expected.Time}\n", File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile)));
        Assert.Contains($"#SBATCH --mem={expected.Memory}\n", File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile)));
        Assert.Contains("estimated, not measured", r.Out);
    }

    [Theory]
    [InlineData("--time", "4 hours")]
    [InlineData("--mem", "lots")]
    public void ABadValueIsAOneLineErrorNamingTheOption(string option, string value)
    {
        using var tmp = new TempDir();
        CliHarness.InProcess("reproduce", "--plan", Path.Combine(tmp.Path, "plan"), "--only", "toy", option, value).AssertUserError(option, value);
    }

    [Fact]
    public void StatusSaysWhatTheMeasuredCostsWouldAskFor()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy").Code);
        Assert.DoesNotContain("Cost so far:", CliHarness.InProcess("sweep", "status", dir).Out);   // nothing ran yet
        Assert.Equal(0, CliHarness.InProcess("sweep", "run", dir, "--index", "0").Code);
        var status = CliHarness.InProcess("sweep", "status", dir).Out;
        Assert.Contains("Cost so far: 1 unit measured in this sweep: longest ", status);
        // In process, the peak is this test host's, so the memory is whatever cost.json says, through the same margin.
        var cost = UnitCost.Read(SweepFiles.UnitDir(dir, 0))!;
        var expected = UnitResources.From(new KnownUnitCost(cost.Seconds, cost.ProcessPeakRssMegabytes, ""));
        Assert.Equal(UnitResources.MinimumTime.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), expected.Time);
        Assert.Contains($"a plan from these would ask --time {expected.Time} --mem {expected.Memory}.", status);
    }
}
