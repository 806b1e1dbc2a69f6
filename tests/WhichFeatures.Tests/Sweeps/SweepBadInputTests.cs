using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>Bad input to the sweep verbs: one line naming the file or option, exit code 2, nothing written beside it.</summary>
[Collection("torch")]
public class SweepBadInputTests
{
    private static string Plan(TempDir tmp)
    {
        var dir = Path.Combine(tmp.Path, "plan");
        var r = CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy,joint", "--seeds", "2");
        Assert.True(r.Code == 0, r.All);
        return dir;
    }

    [Fact]
    public void PlanIntoANonEmptyFolderIsRefused()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub("used");
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy").AssertUserError("--plan", "not empty");
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AHandEditedInvalidManifestIsRefusedNamingTheLine()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Plan(tmp);
        var path = Path.Combine(dir, SweepFolder.ManifestFile);
        var lines = File.ReadAllLines(path);
        lines[1] = lines[1][..^5];   // cut the closing braces off line 2
        File.WriteAllLines(path, lines);
        CliHarness.InProcess("sweep", "run", dir, "--index", "0").AssertUserError("manifest.jsonl line 2", "not valid JSON");
        CliHarness.InProcess("sweep", "status", dir).AssertUserError("manifest.jsonl line 2");
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(dir, "units")));
    }

    [Fact]
    public void AnIndexOutOfRangeIsRefused()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Plan(tmp);
        CliHarness.InProcess("sweep", "run", dir, "--index", "3").AssertUserError("--index 3", "out of range", "3 units (0..2)");
        CliHarness.InProcess("sweep", "run", dir, "--index", "-1").AssertUserError("--index -1");
    }

    [Fact]
    public void CollectingAFolderThatIsNotASweepIsRefused()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub("plain");
        CliHarness.InProcess("sweep", "collect", dir).AssertUserError("not a sweep folder");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void CollectRefusesWhileUnitsAreMissingAndNamesThem()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Plan(tmp);
        Assert.Equal(0, CliHarness.InProcess("sweep", "run", dir, "--index", "0").Code);
        CliHarness.InProcess("sweep", "collect", dir).AssertUserError("2 of 3 units are not done", "1 joint/seed-1 (pending)", "2 joint/seed-2 (pending)");
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));
    }

    [Fact]
    public void AFailingUnitShowsInStatusWithItsErrorAndCollectNamesIt()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var empty = tmp.Sub("no-datasets");   // exists, so the plan is accepted; its runs find no CIFAR-10 there
        var dir = Path.Combine(tmp.Path, "plan");
        var plan = CliHarness.InProcess("reproduce", "--suite", "real", "--data-dir", empty, "--quick", "--seeds", "1", "--only", "cc-over-training", "--plan", dir);
        Assert.True(plan.Code == 0, plan.All);
        var run = CliHarness.InProcess("sweep", "run", dir, "--index", "0");
        run.AssertUserError("unit 0", "failed");
        var error = File.ReadAllText(Path.Combine(SweepFiles.UnitDir(dir, 0), SweepRunner.ErrorFile)).Trim();
        Assert.Contains(empty, error);
        var status = CliHarness.InProcess("sweep", "status", dir);
        Assert.Equal(0, status.Code);
        var row = status.Out.Split('\n').Single(l => l.Contains("cc-over-training/scl-superclasses-seed0", StringComparison.Ordinal));   // unit 0's row
        Assert.Contains("failed", row);
        Assert.Contains(error, row);
        CliHarness.InProcess("sweep", "collect", dir).AssertUserError("0 cc-over-training/scl-superclasses-seed0 (failed: ");
    }
}
