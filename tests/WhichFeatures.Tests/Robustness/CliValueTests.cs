using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// Option values (docs/robustness.md): each bad option value gives exit code 2 and one "error:" line naming the option and what
/// was expected, before any data is read or folder written. Rows are (verb arguments..., expected message parts);
/// the theory and reproduce verbs can add rows to <see cref="BadValues"/> the same way.
/// </summary>
[Collection("torch")]
public class CliValueTests
{
    // Row arguments hold these fixed tokens, never real temp paths, so that test ids are the same in every run
    // (discovery and execution, --filter reruns, Stryker); each test case swaps in folders of its own temp folder.
    private const string DataDir = "<no-such-data>";
    private const string TheoryOut = "<theory-out>";
    private const string ExistingDir = "<existing-folder>";

    private static string[] Train(params string[] extra) => ["train", "--dataset", "cifar10", "--data-dir", DataDir, .. extra];

    /// <summary>Whether the CLI has <paramref name="verb"/> (theory and reproduce arrive in a later merge).</summary>
    internal static bool HasVerb(string verb) => WhichFeatures.Cli.CliApp.BuildRoot().Subcommands.Any(c => c.Name == verb);

    private static string[] Theory(params string[] extra) => ["theory", "toy", "--out", TheoryOut, .. extra];

    private static string[] Reproduce(params string[] extra) => ["reproduce", "--out", TheoryOut, .. extra];

    public static TheoryData<string[], string[]> BadValues()
    {
        var rows = TrainAndDataBadValues();
        if (HasVerb("theory"))
        {
            rows.Add(Theory("--p", "0"), ["--p", "at least 1"]);
            rows.Add(Theory("--p", "-3"), ["--p", "at least 1"]);
            rows.Add(Theory("--beta", "1.5"), ["--beta", "[0, 1]"]);
            rows.Add(Theory("--beta", "-0.2"), ["--beta", "[0, 1]"]);
            rows.Add(Theory("--tau", "0"), ["--tau", "positive"]);
            rows.Add(Theory("--tau", "-1"), ["--tau", "positive"]);
            rows.Add(Theory("--lr", "0"), ["--lr", "positive"]);
            rows.Add(Theory("--seeds", "0"), ["--seeds", "at least 1"]);
            rows.Add(Theory("--steps", "0"), ["--steps", "at least 1"]);
            rows.Add(Theory("--loss", "hinge"), ["--loss hinge", "expected one of: spectral, infonce"]);
            rows.Add(["theory", "no-such-experiment", "--out", TheoryOut], ["no-such-experiment"]);
        }
        if (HasVerb("reproduce"))
        {
            rows.Add(Reproduce("--seeds", "0"), ["--seeds 0", "at least 1"]);
            rows.Add(Reproduce("--suite", "imagenet"), ["--suite imagenet", "theory"]);
            rows.Add(Reproduce("--threads", "-1"), ["--threads -1"]);
            // Real-suite values are refused before the run folder exists, like every other option.
            var dataDir = ExistingDir;
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--epoch-scale", "0"), ["--epoch-scale 0", "positive"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--epoch-scale", "-2"), ["--epoch-scale -2", "positive"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--randbits", "0"), ["--randbits 0", "1..30"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--randbits", "31"), ["--randbits 31", "1..30"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--scale", "huge"), ["--scale huge", "cpu"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", dataDir, "--only", "nonsense"), ["nonsense"]);
            rows.Add(Reproduce("--suite", "real", "--data-dir", "/nonexistent/folder"), ["--data-dir /nonexistent/folder", "not found"]);
            rows.Add(Reproduce("--epoch-scale", "2"), ["--epoch-scale", "real suite"]);
            rows.Add(Reproduce("--randbits", "4"), ["--randbits", "real suite"]);
        }
        return rows;
    }

    private static TheoryData<string[], string[]> TrainAndDataBadValues() => new()
    {
        { Train("--epochs", "0"), ["--epochs 0", "positive"] },
        { Train("--epochs", "-3"), ["--epochs -3", "positive"] },
        { Train("--batch-size", "0"), ["--batch-size 0", "at least 2"] },
        { Train("--batch-size", "-64"), ["--batch-size -64", "at least 2"] },
        { Train("--batch-size", "1"), ["--batch-size 1", "negatives"] },
        { Train("--embedding", "0"), ["--embedding 0", "positive"] },
        { Train("--embedding", "-8"), ["--embedding -8", "positive"] },
        { Train("--projection-dim", "0"), ["--projection-dim 0", "positive"] },
        { Train("--loss", "joint", "--beta", "1.5"), ["--beta 1.5", "[0, 1]"] },
        { Train("--loss", "joint", "--beta", "-0.1"), ["--beta -0.1", "[0, 1]"] },
        { Train("--beta", "NaN"), ["--beta NaN", "[0, 1]"] },
        { Train("--temperature", "0"), ["--temperature 0", "positive"] },
        { Train("--temperature", "-0.5"), ["--temperature -0.5", "positive"] },
        { Train("--lr", "0"), ["--lr 0", "positive"] },
        { Train("--lr", "Infinity"), ["--lr", "positive"] },
        { Train("--momentum", "1"), ["--momentum 1", "[0, 1)"] },
        { Train("--weight-decay", "-1"), ["--weight-decay -1", ">= 0"] },
        { Train("--warmup-epochs", "20"), ["--warmup-epochs 20", "0..10"] },
        { Train("--randbits", "-1"), ["--randbits -1", "0..30"] },
        { Train("--train-size", "-5"), ["--train-size -5"] },
        { Train("--threads", "-2"), ["--threads -2"] },
        { Train("--eval-every", "0"), ["--eval-every 0"] },
        { Train("--offline-probe-every", "-1"), ["--offline-probe-every -1", "0 (off)"] },
        { Train("--model", "vgg"), ["--model vgg", "convnet, convn, convn-wide, resnet18"] },
        { Train("--loss", "triplet"), ["--loss triplet", "ucl, scl, joint"] },
        { Train("--head", "deep"), ["--head deep", "none, linear, mlp"] },
        { Train("--augment", "extreme"), ["--augment extreme", "none, crop, weak, simclr, strong"] },
        { Train("--optimizer", "lion"), ["--optimizer lion", "sgd, adam"] },
        { Train("--superclasses", "--superclass-map", "map.json"), ["--superclasses and --superclass-map"] },
        { Train("--epochs", "ten"), ["ten", "--epochs"] },              // parse error, System.CommandLine's message
        { ["train", "--dataset", "cifar10"], ["--data-dir"] },          // required option missing
        { ["data", "verify", "imagenet", "--data-dir", DataDir], ["imagenet", "cifar10"] },
        { ["data", "verify", "cifar10", "--data-dir", DataDir], ["does not exist", DataDir] },
        { ["train", "--unknown-option"], ["--unknown-option"] },
        { ["frobnicate"], ["frobnicate"] },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void BadValueIsAUserErrorNamingTheOption(string[] args, string[] expected)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dataDir = Path.Combine(tmp.Path, "no-such-data");
        var theoryOut = Path.Combine(tmp.Path, "theory-out");
        string Resolve(string a) => a.Replace(DataDir, dataDir).Replace(TheoryOut, theoryOut).Replace(ExistingDir, tmp.Path);
        var r = CliHarness.InProcess(args.Select(Resolve).ToArray());
        r.AssertUserError(expected.Select(Resolve).ToArray());
        Assert.False(Directory.Exists(dataDir));   // nothing created on the way
        Assert.False(Directory.Exists(theoryOut));
    }

    /// <summary>A data folder that does not exist, inside the test's own temp folder.</summary>
    private static string MissingDataDir(TempDir tmp) => Path.Combine(tmp.Path, "no-such-data");

    [SkippableTheory]
    [InlineData("theory", "toy")]
    [InlineData("reproduce")]
    public void OtherVerbsRefuseANonEmptyOutputFolderToo(params string[] verb)
    {
        Skip.IfNot(HasVerb(verb[0]), $"the {verb[0]} verb is not in this build yet");
        using var tmp = DataTestFiles.NewTempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "keep.txt"), "mine");
        CliHarness.InProcess([.. verb, "--out", tmp.Path]).AssertUserError($"--out {tmp.Path}", "not empty", "--force");
        var file = Path.Combine(tmp.Path, "keep.txt");
        CliHarness.InProcess([.. verb, "--out", Path.Combine(file, "run")]).AssertUserError("cannot write");
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void UnknownDatasetThroughTrainIsAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var r = CliHarness.InProcess("train", "--dataset", "imagenet", "--data-dir", tmp.Path, "--out", Path.Combine(tmp.Path, "run"));
        r.AssertUserError("imagenet", "cifar10");
    }

    [Fact]
    public void NonEmptyOutputFolderIsRefusedUnlessResumeOrForce()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var outDir = tmp.Sub("previous-run");
        var precious = Path.Combine(outDir, "results.json");
        File.WriteAllText(precious, "{\"mine\": true}");
        var r = CliHarness.InProcess(TinyRun.TrainArgs(data, outDir));
        r.AssertUserError($"--out {outDir}", "not empty", "--force");
        Assert.Equal("{\"mine\": true}", File.ReadAllText(precious));
        Assert.Equal(["results.json"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));

        // --force gets past the folder check (then stops at the missing data folder: nothing trains); --resume
        // reads the folder's config.json, which this one does not have.
        var missing = MissingDataDir(tmp);
        var forced = CliHarness.InProcess(TinyRun.TrainArgs(missing, outDir, "--force"));
        forced.AssertUserError(missing, "does not exist");
        Assert.DoesNotContain("not empty", forced.Err);
        var resumed = CliHarness.InProcess(TinyRun.TrainArgs(missing, outDir, "--resume"));
        resumed.AssertUserError($"--resume {outDir}", "no config.json");
        Assert.DoesNotContain("not empty", resumed.Err);
        Assert.Equal("{\"mine\": true}", File.ReadAllText(precious));
    }

    [Fact]
    public void OutputFolderThatCannotBeWrittenIsAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var file = Path.Combine(tmp.Path, "a-file");
        File.WriteAllText(file, "x");
        // A file given as the folder.
        CliHarness.InProcess(TinyRun.TrainArgs(data, file)).AssertUserError($"--out {file}", "is a file");
        // A folder under a regular file (works as root, unlike chmod).
        var under = Path.Combine(file, "run");
        CliHarness.InProcess(TinyRun.TrainArgs(data, under)).AssertUserError($"--out {under}", "cannot write");
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void VerboseShowsTheStackTraceOfAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var missing = MissingDataDir(tmp);
        var r = CliHarness.InProcess(TinyRun.TrainArgs(missing, Path.Combine(tmp.Path, "run"), "--verbose"));
        Assert.Equal(2, r.Code);
        Assert.StartsWith($"error: {missing}", r.Err);
        Assert.Contains("   at ", r.Err);   // with --verbose, and only then
    }
}
