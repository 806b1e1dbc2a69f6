using System.Text.Json;
using WhichFeatures.Tests.Data;
using WhichFeatures.Core;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Robustness;

/// <summary>The uninterrupted reference run every interrupted run is compared with (one child process per test class).</summary>
public sealed class ReferenceRunFixture : IDisposable
{
    internal TempDir Temp { get; } = TinyRun.NewTemp();
    public string DataDir { get; }
    public string RunDir { get; }
    public string Summary { get; }

    public ReferenceRunFixture()
    {
        DataDir = TinyRun.WriteData(Temp.Sub("data"));
        RunDir = Path.Combine(Temp.Path, "reference");
        var r = CliHarness.Run(TinyRun.TrainArgs(DataDir, RunDir));
        if (r.Code != 0) throw new InvalidOperationException($"reference run failed ({r.Code}):\n{r.Out}\n{r.Err}");
        Summary = TinyRun.Summary(RunDir);
    }

    public void Dispose() => Temp.Dispose();
}

/// <summary>
/// Interrupted runs (docs/robustness.md): a real CLI process is killed (SIGKILL) mid-epoch, half-way through a checkpoint write,
/// between a checkpoint and its checksum, and before the final evaluation, or interrupted with SIGINT mid-epoch;
/// <c>--resume</c> must then give exactly the uninterrupted run's losses and probe accuracies (CPU, one thread).
/// Fault points are exact (<see cref="FaultInjection"/>), not timers.
/// </summary>
[Collection("torch")]
public class InterruptionTests(ReferenceRunFixture reference) : IClassFixture<ReferenceRunFixture>
{
    private const int SigKillExitCode = 128 + 9;

    private static Dictionary<string, string> Env(string variable, string point) => new() { [variable] = point };

    /// <summary>A checkpoint's header, read as <c>probe</c> reads it: the run's model rebuilt from its config.json, then the checkpoint loaded into it.</summary>
    private static Checkpoint.Header CheckpointHeader(string runDir, string checkpoint)
    {
        var cfg = RunProber.ReadConfig(runDir);
        var (train, test) = TrainData.Load(cfg);
        using var _train = train;
        using var _test = test;
        var (state, input) = TrainingState.Create(cfg, train, TorchDevice.Resolve(cfg.Device));
        using var _state = state;
        using var _input = input;
        return Checkpoint.Load(checkpoint, state, []);
    }

    private string NewRunDir(TempDir tmp) => Path.Combine(tmp.Path, "run");

    private CliResult Resume(string runDir)
    {
        var r = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, runDir, "--resume"));
        Assert.True(r.Code == 0, $"resume failed ({r.Code}):\n{r.Out}\n{r.Err}");
        r.AssertNoStackTrace();
        return r;
    }

    [Fact]
    public void ReferenceRunIsComplete()
    {
        // Guards the comparisons below: the reference has every epoch, finite losses and the final results.
        var lines = File.ReadAllLines(Path.Combine(reference.RunDir, "metrics.csv"));
        Assert.Equal(TinyRun.Epochs + 1, lines.Length);
        Assert.Contains($"history {TinyRun.Epochs} step {TinyRun.Epochs * TinyRun.StepsPerEpoch} loss", reference.Summary);
        Assert.DoesNotContain("NaN", reference.Summary.Split('\n').Where(l => l.StartsWith("history")).Aggregate("", (a, b) => a + b));
    }

    [Fact]
    public void GlibcsDefaultAllocationGivesTheSameRun()
    {
        // Core/NativeAllocation only changes where freed memory goes, never which kernels run: the reference run
        // (freed memory kept, huge pages) and a run with glibc's and libtorch's defaults must agree bit for bit.
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        var r = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, dir),
            new Dictionary<string, string> { [NativeAllocation.DefaultsVariable] = "1", [NativeAllocation.HugePagesVariable] = "0" });
        Assert.True(r.Code == 0, $"run failed ({r.Code}):\n{r.Out}\n{r.Err}");
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void SigkillMidEpochThenResumeEqualsTheUninterruptedRun()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        int crashStep = TinyRun.StepsPerEpoch + 2;   // epoch 2, after its 2nd step
        var killed = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, dir), Env(FaultInjection.CrashVariable, $"step:{crashStep}"));
        Assert.Equal(SigKillExitCode, killed.Code);
        Assert.True(File.Exists(Path.Combine(dir, Checkpoint.FileName(1))));
        Assert.False(File.Exists(Path.Combine(dir, Checkpoint.FileName(2))));
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));

        var resumed = Resume(dir);
        Assert.Contains("resumed from epoch 1 (step 5)", resumed.Out);
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void SigkillWhileWritingACheckpointThenResumeEqualsTheUninterruptedRun()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        var killed = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, dir), Env(FaultInjection.CrashVariable, "checkpoint-write:2"));
        Assert.Equal(SigKillExitCode, killed.Code);
        // The half-written checkpoint exists only as a temp file; the target name never held a partial file.
        var partial = Assert.Single(Directory.GetFiles(dir, ".checkpoint-0002.wfck.*.tmp"));
        long full = new FileInfo(Path.Combine(dir, Checkpoint.FileName(1))).Length;
        Assert.InRange(new FileInfo(partial).Length, 1, full - 1);
        Assert.False(File.Exists(Path.Combine(dir, Checkpoint.FileName(2))));

        var resumed = Resume(dir);
        Assert.Contains("removed 1 half-written checkpoint file", resumed.Out);
        Assert.Contains("resumed from epoch 1 (step 5)", resumed.Out);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void SigkillBetweenCheckpointAndChecksumFallsBackToThePreviousCheckpoint()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        var killed = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, dir), Env(FaultInjection.CrashVariable, "checkpoint-checksum:2"));
        Assert.Equal(SigKillExitCode, killed.Code);
        Assert.True(File.Exists(Path.Combine(dir, Checkpoint.FileName(2))));
        Assert.False(File.Exists(Path.Combine(dir, Checkpoint.FileName(2) + ".sha256")));

        var resumed = Resume(dir);
        Assert.Contains("no checksum file", resumed.Out);
        Assert.Contains("resumed from epoch 1 (step 5)", resumed.Out);
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [SkippableFact]
    public void CtrlCMidEpochCheckpointsThereAndPrintsTheExactResumeCommand()
    {
        // A shell starts background jobs with SIGINT ignored, children inherit that, and .NET then leaves it ignored
        // (as a background program should): the CLI cannot see this test's Ctrl-C. SigtermIsHandledLikeCtrlC still runs.
        Skip.If(CliHarness.SigIntIgnored(), "SIGINT is ignored in this test process (started as a background job); run the tests in the foreground to test Ctrl-C");
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        int pauseStep = TinyRun.StepsPerEpoch + 2;
        CliResult interrupted;
        using (var child = CliHarness.Start(TinyRun.TrainArgs(reference.DataDir, dir, "--force"), Env(FaultInjection.PauseVariable, $"step:{pauseStep}")))
        {
            CliHarness.WaitUntil(() => File.Exists(Path.Combine(dir, FaultInjection.PauseMarker)), $"the pause at step {pauseStep}", child: child);
            child.Signal("INT");
            interrupted = child.Wait(TimeSpan.FromSeconds(60));
        }
        Assert.Equal(130, interrupted.Code);
        interrupted.AssertNoStackTrace();
        Assert.Contains("interrupted in epoch 2 after step 2 of the epoch (global step 7)", interrupted.Err);
        var midEpoch = Path.Combine(dir, Checkpoint.FileName(1, 2));
        Assert.Contains($"checkpoint written: {midEpoch}", interrupted.Err);
        Assert.True(File.Exists(midEpoch + ".sha256"));
        Assert.False(File.Exists(Path.Combine(dir, FaultInjection.PauseMarker)));
        var header = CheckpointHeader(dir, midEpoch);
        Assert.Equal((1, 2, 7L), (header.Epoch, header.StepInEpoch, header.Step));
        Assert.NotNull(header.AugmentGeneratorState);

        // Run exactly the command it printed (minus the program name): --force is dropped, --resume added.
        var line = interrupted.Err.Split('\n').Single(l => l.StartsWith("To continue exactly where it stopped: ", StringComparison.Ordinal));
        var command = line["To continue exactly where it stopped: ".Length..].Trim().Split(' ');
        Assert.Equal("whichfeatures", command[0]);
        Assert.Equal(TinyRun.TrainArgs(reference.DataDir, dir).Where(a => a is not ("--out" or "--resume") && a != dir).Concat(["--out", dir, "--resume"]), command[1..]);
        var resumed = CliHarness.Run(command[1..]);
        Assert.True(resumed.Code == 0, resumed.All);
        Assert.Contains("resumed in epoch 2 after step 2 of the epoch (global step 7)", resumed.Out);
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void SigtermIsHandledLikeCtrlC()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        int pauseStep = 3;   // epoch 1, before any checkpoint exists
        CliResult stopped;
        using (var child = CliHarness.Start(TinyRun.TrainArgs(reference.DataDir, dir), Env(FaultInjection.PauseVariable, $"step:{pauseStep}")))
        {
            CliHarness.WaitUntil(() => File.Exists(Path.Combine(dir, FaultInjection.PauseMarker)), $"the pause at step {pauseStep}", child: child);
            child.Signal("TERM");
            stopped = child.Wait(TimeSpan.FromSeconds(60));
        }
        Assert.Equal(130, stopped.Code);
        stopped.AssertNoStackTrace();
        Assert.Contains("SIGTERM: stopping after the current step", stopped.Err);
        Assert.Contains("interrupted in epoch 1 after step 3 of the epoch (global step 3)", stopped.Err);
        Assert.Contains(": interrupted after ", stopped.Out);   // the training task's last progress line
        Assert.DoesNotContain("done in", stopped.Out);
        var header = CheckpointHeader(dir, Path.Combine(dir, Checkpoint.FileName(0, 3)));
        Assert.Equal((0, 3, 3L), (header.Epoch, header.StepInEpoch, header.Step));
    }

    [Fact]
    public void SigkillBeforeTheFinalEvaluationLeavesNoResultsAndResumeWritesThem()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        var killed = CliHarness.Run(TinyRun.TrainArgs(reference.DataDir, dir), Env(FaultInjection.CrashVariable, "final-evaluation"));
        Assert.Equal(SigKillExitCode, killed.Code);
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));
        Assert.True(File.Exists(Path.Combine(dir, Checkpoint.FileName(2) + ".sha256")));

        var resumed = Resume(dir);
        Assert.Contains("resumed from epoch 2 (step 10)", resumed.Out);
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void SigkillWhileResultsAreWrittenNeverLeavesAHalfWrittenResultsJson()
    {
        // Timed kill (no fault point): the moment report.md appears, results.json is being written next.
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        using (var child = CliHarness.Start(TinyRun.TrainArgs(reference.DataDir, dir)))
        {
            CliHarness.WaitUntil(() => File.Exists(Path.Combine(dir, "report.md")) || child.Process.HasExited, "report.md", timeoutSeconds: 90);
            if (!child.Process.HasExited) child.Process.Kill();
            child.Wait(TimeSpan.FromSeconds(30));
        }
        var results = Path.Combine(dir, "results.json");
        if (File.Exists(results))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(results));   // throws on a partial file
            Assert.True(doc.RootElement.GetProperty("probes").GetArrayLength() > 0);
        }
        foreach (var csv in Directory.GetFiles(dir, "*.csv"))
            Assert.All(File.ReadAllLines(csv).Skip(1), l => Assert.Equal(File.ReadAllLines(csv)[0].Split(',').Length, l.Split(',').Length));
    }

    [Fact]
    public void CorruptNewestCheckpointIsReportedAndTheResumeUsesThePreviousOne()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(reference.RunDir).Where(f => !f.EndsWith("results.json", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var newest = Path.Combine(dir, Checkpoint.FileName(2));
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0x40;   // one flipped bit inside the model weights
        File.WriteAllBytes(newest, bytes);

        var resumed = Resume(dir);
        Assert.Contains($"warning: {newest}: checksum mismatch", resumed.Out);
        Assert.Contains("Trying the previous checkpoint", resumed.Out);
        Assert.Contains("resumed from epoch 1 (step 5)", resumed.Out);
        Assert.Equal(reference.Summary, TinyRun.Summary(dir));
    }

    [Fact]
    public void ForcedNewRunInAFinishedRunFolderNeverMixesWithTheOldRun()
    {
        // --force over a finished 2-epoch run, a 1-epoch run of a different seed killed mid-epoch 1: the old run's
        // checkpoints and results are gone (they would outrank the new run's when pruning and resuming).
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(reference.RunDir))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var otherRun = TinyRun.TrainArgs(reference.DataDir, dir, "--force").Select(a => a == "3" ? "4" : a).ToArray();   // --seed 4
        var killed = CliHarness.Run(otherRun, Env(FaultInjection.CrashVariable, "step:2"));
        Assert.Equal(SigKillExitCode, killed.Code);
        Assert.Contains("removed 2 checkpoint(s) of an earlier run", killed.Out);
        Assert.Empty(Checkpoint.List(dir));
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));
        Assert.False(File.Exists(Path.Combine(dir, "report.md")));
        Assert.Contains("\"seed\": 4", File.ReadAllText(Path.Combine(dir, "config.json")));
    }

    [Fact]
    public void ResumeWithDifferentOptionsIsRefused()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(reference.RunDir))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        string[] kept = ["results.json", "config.json", "metrics.csv"];
        var before = kept.Select(f => File.ReadAllText(Path.Combine(dir, f))).ToArray();
        var r = CliHarness.InProcess(TinyRun.TrainArgs(reference.DataDir, dir, "--resume", "--temperature", "0.2"));
        r.AssertUserError($"--resume {dir}", "--temperature 0.2 (the run has 0.5) differs from the run's config.json");
        Assert.Equal(before, kept.Select(f => File.ReadAllText(Path.Combine(dir, f))));   // config.json still describes the checkpoints
        Assert.Equal(2, Checkpoint.List(dir).Count);
    }

    [Fact]
    public void NoUsableCheckpointIsAUserErrorNamingEachFile()
    {
        using var tmp = TinyRun.NewTemp();
        var dir = NewRunDir(tmp);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(reference.RunDir))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var c1 = Path.Combine(dir, Checkpoint.FileName(1));
        var c2 = Path.Combine(dir, Checkpoint.FileName(2));
        File.WriteAllBytes(c1, File.ReadAllBytes(c1).AsSpan(0, 1000).ToArray());   // truncated
        File.Delete(c2 + ".sha256");                                                 // interrupted write
        var r = CliHarness.InProcess(TinyRun.TrainArgs(reference.DataDir, dir, "--resume"));
        r.AssertUserError("no usable checkpoint", Checkpoint.FileName(1), "truncated", Checkpoint.FileName(2), "no checksum file");
    }
}
