using System.Globalization;
using System.Text.Json;
using WhichFeatures.Comparison;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Tests.Sweeps;
using static WhichFeatures.Tests.Comparison.ComparedRuns;

namespace WhichFeatures.Tests.Comparison;

/// <summary>
/// <c>compare</c> on suites: two reproduce folders side by side by the claims both have (the others named), a sweep
/// not collected yet accepted and its units listed with their status, a real unit with its probe accuracies.
/// </summary>
[Collection("torch")]
public class SuiteComparisonTests
{
    private static HashSet<string> ClaimIds(string dir) =>
        ReadJson(Path.Combine(dir, "results.json")).GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet();

    [Fact]
    public void TwoReproduceFoldersShareTheClaimsBothHaveAndNameTheRest()
    {
        using var tmp = DataTestFiles.NewTempDir();
        string Reproduce(string name, string only)
        {
            var dir = Path.Combine(tmp.Path, name);
            var r = CliHarness.InProcess("reproduce", "--out", dir, "--quick", "--seeds", "1", "--only", only);
            Assert.True(r.Code == 0, r.All);
            return dir;
        }
        var a = Reproduce("suite-a", "toy,cc-minimizers");
        var b = Reproduce("suite-b", "toy,joint");
        var planned = Path.Combine(tmp.Path, "planned");
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", planned, "--quick", "--seeds", "1", "--only", "toy").Code);

        var outDir = Path.Combine(tmp.Path, "cmp");
        var cli = CliHarness.InProcess("compare", a, b, planned, "--out", outDir);
        Assert.True(cli.Code == 0, cli.All);
        var (idsA, idsB) = (ClaimIds(a), ClaimIds(b));
        var cmp = ReadJson(Path.Combine(outDir, ComparisonFiles.SummaryFile));
        Assert.Equal(idsA.Intersect(idsB).Order(), cmp.GetProperty("sharedClaims").GetProperty("ids").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.NotEmpty(idsA.Intersect(idsB));
        var lines = cli.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        foreach (var id in idsA.Except(idsB)) Assert.Single(lines, $"{SharedClaims.LeftOutPrefix}claim {id}: only suite-a has it");
        foreach (var id in idsB.Except(idsA)) Assert.Single(lines, $"{SharedClaims.LeftOutPrefix}claim {id}: only suite-b has it");
        Assert.Single(lines, $"{SharedClaims.LeftOutPrefix}planned is not collected yet (no results.json)");
        foreach (var s in new[] { "suite-a", "suite-b", "planned" })
            Assert.Single(lines, l => l.StartsWith($"{SharedTable.LeftOutPrefix}{s} is a ", StringComparison.Ordinal));

        // The shared claims table gives each suite's own outcome; the planned sweep lists its units as pending.
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var id in idsA.Intersect(idsB))
        {
            string Outcome(string dir) => ReadJson(Path.Combine(dir, "results.json")).GetProperty("claims").EnumerateArray()
                .Single(c => c.GetProperty("id").GetString() == id).GetProperty("holds").GetBoolean() ? "holds" : "does not hold";
            Assert.Contains(md.Split('\n'), l => l.StartsWith($"| {id} | {Outcome(a)} (", StringComparison.Ordinal) && l.Contains($"| {Outcome(b)} ("));
        }
        foreach (var line in SweepFiles.ManifestLines(planned))
            Assert.Contains($"| {JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()} | toy | pending |", md);
    }

    [Fact]
    public void ARealSweepListsEachFinishedRunWithItsProbeAccuracies()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = tmp.Sub("data");
        TinyRun.WriteData(Path.Combine(data, "cifar-10-batches-bin"));
        var (plan, units) = SweepPlan.ForReal(SweepFiles.TinyRealOptions(data), [RealSuite.Get("cc-over-training")], new ClusterOptions());
        var sweep = Path.Combine(tmp.Path, "sweep");
        SweepFolder.Write(sweep, plan, units);
        Assert.Equal(UnitOutcome.Done, SweepRunner.Run(sweep, units[0], NullProgress.Instance).Outcome);
        var other = Path.Combine(tmp.Path, "other");
        SweepFolder.Write(other, plan, units);

        var outDir = Path.Combine(tmp.Path, "cmp");
        var cli = CliHarness.InProcess("compare", sweep, other, "--out", outDir);
        Assert.True(cli.Code == 0, cli.All);
        var probeTest = ReadJson(Path.Combine(units[0].FolderIn(sweep), SweepRunner.ResultFile)).GetProperty("probeTest");
        var run = ReadJson(Path.Combine(outDir, ComparisonFiles.SummaryFile)).GetProperty("inputs")[0].GetProperty("suite").GetProperty("runs")[0];
        Assert.Equal("done", run.GetProperty("status").GetString());
        Assert.NotEmpty(probeTest.EnumerateObject());
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var p in probeTest.EnumerateObject())
        {
            Assert.Equal(p.Value.GetDouble(), run.GetProperty("probeTest").GetProperty(p.Name).GetDouble());
            Assert.Contains(p.Value.GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), md);
        }
        Assert.Contains($"| {units[1].Id} | {units[1].Experiment} | pending |", md);
        Assert.Equal(2, cli.Out.Split('\n').Count(l => l.StartsWith(SharedClaims.LeftOutPrefix, StringComparison.Ordinal) && l.EndsWith("is not collected yet (no results.json)")));
    }
}
