using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// A unit's result.json keeps its bytes now that unit results are typed (<see cref="ITheoryUnits{TUnit}"/>, not an
/// object and a Type): the files in Fixtures/unit-results were written by the build before, the theory ones by
/// <c>reproduce --quick</c> (seed 1 of each experiment), the real one from a hand-made <see cref="RealRunSummary"/>.
/// Each is read back at its experiment's type and written again byte for byte, and a sweep holding the theory ones
/// still collects.
/// </summary>
public class UnitResultCompatibilityTests
{
    public static TheoryData<string> TheoryCases() => ["toy", "cc-minimizers", "cc-dynamics", "fs-embedding", "fs-augmentation", "joint"];

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sweeps", "Fixtures", "unit-results", name + ".json"));

    /// <summary>Puts the fixture <paramref name="name"/> where <paramref name="unit"/>'s result.json goes: the unit is done.</summary>
    private static void PlaceResult(string sweepDir, SweepUnit unit, string name)
    {
        Directory.CreateDirectory(unit.FolderIn(sweepDir));
        File.WriteAllText(Path.Combine(unit.FolderIn(sweepDir), SweepRunner.ResultFile), Fixture(name));
    }

    /// <summary>Reads a unit's result.json at the experiment's own type and writes it again.</summary>
    private sealed class RoundTrip(string sweepDir, SweepUnit unit) : ITheoryUnitsUser<string>
    {
        public string Use<TUnit>(ITheoryUnits<TUnit> units) where TUnit : notnull => SweepRunner.ResultJson(SweepRunner.ReadResult<TUnit>(sweepDir, unit));
    }

    [Theory]
    [MemberData(nameof(TheoryCases))]
    public void A_theory_unit_written_by_the_older_build_reads_back_and_writes_the_same_bytes_and_collects(string name)
    {
        var (plan, units) = Reproduction.Prepare(new ReproduceOptions { Quick = true, Seeds = 1, Only = name }).Plan(new ClusterOptions());
        using var tmp = DataTestFiles.NewTempDir();
        SweepFolder.Write(tmp.Path, plan, units);
        var unit = Assert.Single(units);
        PlaceResult(tmp.Path, unit, name);

        var experiment = TheorySuite.Get(name);
        Assert.Equal(Fixture(name), experiment.WithUnits(new RoundTrip(tmp.Path, unit)));
        var result = Assert.Single(SweepCollector.Summarise(tmp.Path, plan, units).Results);
        Assert.Equal(experiment.ClaimIds, result.Claims.Select(c => c.Id));
    }

    [Fact]
    public void A_real_unit_written_by_the_older_build_reads_back_and_writes_the_same_bytes()
    {
        if (OperatingSystem.IsWindows()) return;   // the plan needs an existing --data-dir; /tmp is Linux's
        var (_, units) = Reproduction.Prepare(new ReproduceOptions { Suite = SuiteKind.Real, DataDir = "/tmp", Quick = true, Only = "cc-over-training" }).Plan(new ClusterOptions());
        using var tmp = DataTestFiles.NewTempDir();
        var unit = units[0];
        PlaceResult(tmp.Path, unit, "cc-over-training");

        var summary = SweepRunner.ReadResult<RealRunSummary>(tmp.Path, unit);
        Assert.Equal("scl-superclasses", summary.Tag);
        Assert.NotNull(summary.SubclassCollapse);
        Assert.Equal(Fixture("cc-over-training"), SweepRunner.ResultJson(summary));
    }
}
