using WhichFeatures.Comparison;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Comparison;

/// <summary>Bad input to <c>compare</c>: one line naming the folder and what was expected, exit code 2, no report folder left behind.</summary>
public class CompareCliTests
{
    private static void AssertOneLineError(CliResult r, string outDir, params string[] parts)
    {
        r.AssertUserError(parts);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(outDir), "a failed compare left its --out folder behind");
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var missing = Path.Combine(tmp.Path, "no-such-run");
        var outDir = Path.Combine(tmp.Path, "out");
        AssertOneLineError(CliHarness.InProcess("compare", missing, tmp.Sub("other"), "--out", outDir), outDir, $"{missing}: folder not found", InputFolderKind.Expected);
    }

    [Fact]
    public void AFolderOfNoKnownKindIsNamedWithWhatWasExpected()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var photos = tmp.Sub("photos");
        File.WriteAllText(Path.Combine(photos, "config.json"), "{}");   // a config.json alone is not a run
        var outDir = Path.Combine(tmp.Path, "out");
        AssertOneLineError(CliHarness.InProcess("compare", photos, tmp.Sub("b"), "--out", outDir), outDir, $"{photos}: no results.json", InputFolderKind.Expected);
        var file = Path.Combine(tmp.Path, "run.txt");
        File.WriteAllText(file, "");
        AssertOneLineError(CliHarness.InProcess("compare", file, photos, "--out", outDir), outDir, $"{file}: is a file", InputFolderKind.Expected);
    }

    [Fact]
    public void FewerThanTwoFoldersIsRefused()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var outDir = Path.Combine(tmp.Path, "out");
        var one = tmp.Sub("run");
        AssertOneLineError(CliHarness.InProcess("compare", one, "--out", outDir), outDir, "at least two folders, got 1", one);
        AssertOneLineError(CliHarness.InProcess("compare", "--out", outDir), outDir, "at least two folders, got 0");
        AssertOneLineError(CliHarness.InProcess("compare", one, one, "--out", outDir), outDir, $"{one}: given more than once");
    }

    [Fact]
    public void AnUnreadableResultsJsonIsNamed()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var broken = tmp.Sub("broken");
        File.WriteAllText(Path.Combine(broken, "results.json"), "{ \"probes\": [");
        var outDir = Path.Combine(tmp.Path, "out");
        AssertOneLineError(CliHarness.InProcess("compare", broken, tmp.Sub("b"), "--out", outDir), outDir, Path.Combine(broken, "results.json"), "unreadable");
        // Valid JSON in a training run's shape whose fields have the wrong types.
        File.WriteAllText(Path.Combine(broken, "results.json"), "{ \"config\": 3, \"probes\": [] }");
        AssertOneLineError(CliHarness.InProcess("compare", broken, tmp.Sub("b"), "--out", outDir), outDir, Path.Combine(broken, "results.json"), "not a training run's results");
        File.WriteAllText(Path.Combine(broken, "results.json"), "{ \"suite\": \"theory\", \"claims\": [] }");
        AssertOneLineError(CliHarness.InProcess("compare", broken, tmp.Sub("b"), "--out", outDir), outDir, Path.Combine(broken, "results.json"), "neither a training run's results");
    }

    [Fact]
    public void NamesMustMatchTheFolders()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var outDir = Path.Combine(tmp.Path, "out");
        AssertOneLineError(CliHarness.InProcess("compare", tmp.Sub("a"), tmp.Sub("b"), "--name", "only-one", "--out", outDir), outDir, "--name: 1 names for 2 folders");
    }
}
