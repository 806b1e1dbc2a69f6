using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// Sweeps through a real Slurm (the one-node cluster of deploy/slurm/local-cluster.sh; skipped when none answers):
/// the array's collected claims equal a local `sweep run --all` of the same plan, also when every task is
/// preempted mid-epoch (SIGTERM to the batch shell), checkpoints, is requeued and resumes.
/// </summary>
[Collection("torch")]
public class SlurmSweepTests
{
    private static readonly string[] Cluster = ["--cpus-per-task", "1", "--mem", "1G", "--time", "00:10:00", "--max-parallel", "2"];

    [SkippableFact]
    public void ATheorySweepThroughSbatchCollectsTheClaimsOfALocalRun()
    {
        SlurmCluster.SkipUnlessUp();
        using var tmp = DataTestFiles.NewTempDir();
        string[] options = ["--seeds", "2", "--quick", "--only", "toy,cc-minimizers,joint"];
        var onSlurm = Path.Combine(tmp.Path, "slurm");
        var local = Path.Combine(tmp.Path, "local");
        Assert.Equal(0, CliHarness.InProcess(["reproduce", "--plan", onSlurm, .. options, .. Cluster]).Code);
        Assert.Equal(0, CliHarness.InProcess(["reproduce", "--plan", local, .. options, .. Cluster]).Code);

        var job = SlurmCluster.Submit(Path.Combine(onSlurm, SweepScripts.SlurmFile));
        Assert.Equal(0, CliHarness.InProcess("sweep", "run", local, "--all", "--jobs", "2").Code);
        SlurmCluster.WaitForJob(job, timeoutSeconds: 300, finished: () => AllFinished(onSlurm, 5));

        var collected = CliHarness.InProcess("sweep", "collect", onSlurm);
        Assert.True(collected.Code == 0, collected.All + Logs(onSlurm));
        Assert.Equal(0, CliHarness.InProcess("sweep", "collect", local).Code);
        Assert.Equal(SweepFiles.Claims(local), SweepFiles.Claims(onSlurm));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(onSlurm, "logs")).Length);
    }

    [SkippableFact]
    public void PreemptedTasksCheckpointRequeueAndGiveTheUninterruptedResult()
    {
        SlurmCluster.SkipUnlessUp();
        using var tmp = DataTestFiles.NewTempDir();
        var data = tmp.Sub("data");
        TinyRun.WriteData(Path.Combine(data, "cifar-10-batches-bin"));
        // A tiny real sweep: SCL, UCL and joint on 160 generated CIFAR-10-format images, 2 epochs of 5 steps.
        var options = new RealRunOptions
        {
            DataDir = data, Seeds = 1, Threads = 1, Device = "cpu",
            Customize = s => s.WithEveryPreset(p => p with { Dataset = DatasetRegistry.Cifar10, TrainSize = 0, TestSize = 0, Epochs = 2, BatchSize = TinyRun.BatchSize }) with { WarmupEpochs = 0, ProbeIterations = 10 },
        };
        var cluster = new ClusterOptions { CpusPerTask = 1, Memory = "2G", Time = "00:10:00", MaxParallel = 2, Launcher = $"{Environment.ProcessPath} {CliHarness.CliDll}" };
        var experiments = new[] { RealSuite.Get("cc-over-training") };
        var onSlurm = Path.Combine(tmp.Path, "slurm");
        var local = Path.Combine(tmp.Path, "local");
        foreach (var dir in new[] { onSlurm, local })
        {
            var (plan, units) = SweepPlan.ForReal(options, experiments, cluster);
            SweepFolder.Write(dir, plan, units);
        }
        Assert.Equal(3, SweepFiles.ManifestLines(onSlurm).Length);

        // Every task pauses in epoch 2 (after step 7 of 10); the test then sends SIGTERM to its batch shell, as
        // Slurm does before a time limit or preemption with --signal=B:TERM.
        var pauseEnv = new Dictionary<string, string> { [FaultInjection.PauseVariable] = $"step:{TinyRun.StepsPerEpoch + 2}" };
        var job = SlurmCluster.Submit(Path.Combine(onSlurm, SweepScripts.SlurmFile), pauseEnv);
        var signalled = new HashSet<int>();
        SlurmCluster.WaitForJob(job, timeoutSeconds: 420, finished: () => AllFinished(onSlurm, 3), poll: () =>
        {
            for (int i = 0; i < 3; i++)
                if (!signalled.Contains(i) && File.Exists(Path.Combine(SweepFiles.UnitDir(onSlurm, i), SweepRunner.TrainFolder, FaultInjection.PauseMarker)))
                {
                    var (code, output) = SlurmCluster.Run("scancel", ["--batch", "--signal=TERM", $"{job}_{i}"]);
                    Assert.True(code == 0, output);
                    signalled.Add(i);
                }
        });
        var logs = Logs(onSlurm);
        Assert.True(signalled.Count == 3, $"signalled units: {string.Join(", ", signalled)}\n{logs}");
        Assert.Equal(0, CliHarness.InProcess("sweep", "run", local, "--all").Code);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(logs, "stopped at a checkpoint; requeueing").Count == 3, logs);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(logs, "resumed in epoch 2 after step 2 of the epoch").Count == 3, logs);
        var collected = CliHarness.InProcess("sweep", "collect", onSlurm);
        Assert.True(collected.Code == 0, collected.All + logs);
        Assert.Equal(0, CliHarness.InProcess("sweep", "collect", local).Code);
        Assert.Equal(SweepFiles.Claims(local), SweepFiles.Claims(onSlurm));
        for (int i = 0; i < 3; i++)
            Assert.Equal(File.ReadAllText(Path.Combine(SweepFiles.UnitDir(local, i), SweepRunner.TrainFolder, "metrics.csv")).Split('\n').Length,
                         File.ReadAllText(Path.Combine(SweepFiles.UnitDir(onSlurm, i), SweepRunner.TrainFolder, "metrics.csv")).Split('\n').Length);
    }

    /// <summary>Every unit has its result or its error.</summary>
    private static bool AllFinished(string dir, int units) =>
        Enumerable.Range(0, units).All(i => File.Exists(Path.Combine(SweepFiles.UnitDir(dir, i), SweepRunner.ResultFile)) || File.Exists(Path.Combine(SweepFiles.UnitDir(dir, i), SweepRunner.ErrorFile)));

    private static string Logs(string dir) =>
        string.Join("\n", Directory.GetFiles(Path.Combine(dir, "logs")).Order().Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
}
