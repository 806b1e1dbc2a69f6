using System.Text.Json;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>Each unit records what it cost (cost.json: wall time, peak memory of its process), apart from its result.</summary>
[Collection("torch")]
public class UnitCostTests
{
    [Fact]
    public void AUnitRecordsItsWallTimeAndPeakMemoryBesideItsResult()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy").Code);
        var run = CliHarness.InProcess("sweep", "run", dir, "--index", "0");
        Assert.True(run.Code == 0, run.All);
        Assert.Matches(@"unit 0 toy/seed-1: done \(\d+\.\d s, peak RSS \d+ MB\)\.", run.Out);
        var folder = SweepFiles.UnitDir(dir, 0);
        var cost = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(folder, UnitCost.FileName)));
        Assert.True(cost.GetProperty("seconds").GetDouble() > 0);
        Assert.True(cost.GetProperty("processPeakRssMegabytes").GetDouble() > 10);   // the .NET runtime alone takes tens of MB
        Assert.Equal(UnitCost.Read(folder), new UnitCost(cost.GetProperty("seconds").GetDouble(), cost.GetProperty("processPeakRssMegabytes").GetDouble()));
        // The clock stays out of the result, which must be the same however the unit runs (SweepFlowTests).
        Assert.DoesNotContain("processPeakRss", File.ReadAllText(Path.Combine(folder, SweepRunner.ResultFile)));
    }

    [Fact]
    public void AMissingOrDamagedCostIsNoCost()
    {
        using var tmp = new TempDir();
        Assert.Null(UnitCost.Read(tmp.Path));
        File.WriteAllText(Path.Combine(tmp.Path, UnitCost.FileName), "{ not json");
        Assert.Null(UnitCost.Read(tmp.Path));
    }
}
