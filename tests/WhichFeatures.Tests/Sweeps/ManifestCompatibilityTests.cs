using WhichFeatures.Core;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// manifest.jsonl keeps its bytes: planning the same suites writes, and loading then writing again gives, exactly the
/// files in Fixtures/manifests, which Fixtures/manifests/make-manifests.sh wrote with a build from before a unit's
/// payload became a <see cref="UnitWork"/> (a sweep planned by an older build still runs and collects).
/// </summary>
public class ManifestCompatibilityTests
{
    public static TheoryData<string> Cases() => ["theory-quick", "theory-base5", "real-quick", "real-cpu"];

    private static ReproduceOptions Options(string name) => name switch
    {
        "theory-quick" => new() { Quick = true, Seeds = 2 },
        "theory-base5" => new() { Seeds = 3, BaseSeed = 5, Only = "toy,joint" },
        "real-quick" => new() { Suite = SuiteKind.Real, DataDir = "/tmp", Quick = true },
        "real-cpu" => new() { Suite = SuiteKind.Real, DataDir = "/tmp", Device = "cpu", Seeds = 1, Only = "cc-over-training,fs-embedding-mnist-randbit" },
        _ => throw new ArgumentException(name),
    };

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sweeps", "Fixtures", "manifests", name + ".jsonl"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Planned_and_reloaded_manifests_are_byte_identical_to_the_older_build(string name)
    {
        if (OperatingSystem.IsWindows()) return;   // the real fixtures hold the Linux path /tmp
        var (plan, units) = Reproduction.Prepare(Options(name)).Plan(new ClusterOptions());
        Assert.Equal(Fixture(name), SweepFolder.ManifestText(units));
        using var tmp = DataTestFiles.NewTempDir();
        SweepFolder.Write(tmp.Path, plan, units);
        Assert.Equal(Fixture(name), SweepFolder.ManifestText(SweepFolder.Load(tmp.Path).Units));
    }
}
