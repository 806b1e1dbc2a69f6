using WhichFeatures.Core;
using System.Text.Json;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// A sweep gives the same claims however its units are run: the theory experiments run in one process
/// (<see cref="ITheoryExperiment.Run"/>), `reproduce` (plan + run all + collect), and `sweep run --all --jobs 2`
/// + `collect` on a planned folder; an interrupted reproduce continues where it stopped.
/// </summary>
[Collection("torch")]
public class SweepTests
{
    // Quick theory experiments that take a second or two: 1 + 2 + 2 units.
    private static readonly string[] Options = ["--seeds", "2", "--quick", "--only", "toy,cc-minimizers,joint"];

    [Fact]
    public void ReproduceWithWorkerProcessesGivesTheClaimsAndTablesOfOneProcess()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var single = Path.Combine(tmp.Path, "single");
        var r1 = CliHarness.InProcess(["reproduce", "--out", single, .. Options]);
        Assert.True(r1.Code == 0, r1.All);
        // --jobs needs the CLI as its own process: the workers are this program started again.
        var parallel = Path.Combine(tmp.Path, "parallel");
        using var child = new CliHarness.Child(["reproduce", "--out", parallel, "--jobs", "3", .. Options], null);
        var r3 = child.Wait(TimeSpan.FromMinutes(5));
        Assert.True(r3.Code == 0, r3.All);
        Assert.Equal(SweepFiles.Claims(single), SweepFiles.Claims(parallel));
        foreach (var csv in new[] { "joint_beta_sweep.csv", "cc_minimizers.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(single, csv)), File.ReadAllText(Path.Combine(parallel, csv)));
        var logs = Directory.GetFiles(Path.Combine(parallel, "workers"), "worker-*.log").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(["worker-1.log", "worker-2.log"], logs);
        Assert.All(logs, l => Assert.Contains("units ran", File.ReadAllText(Path.Combine(parallel, "workers", l!))));
        Assert.DoesNotContain("units ran", r3.Out);   // the workers' lines stay in their logs
        // ... but their units show on the console too, and the suite's progress counts every unit (SuiteProgressTests).
        for (int w = 1; w <= 2; w++)
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(parallel, "workers", $"worker-{w}.log")), @"\] (unit \d+ of 5: \S+): started"))
                Assert.Contains($"worker {w}: {m.Groups[1].Value}: done in", r3.Out);
        Assert.Contains("suite (smoke run), 5 units: done in", r3.Out);
        Assert.Contains("5 of 5 units done", r3.Out);
    }

    [Fact]
    public void ReproduceAndALocalSweepGiveTheClaimsOfTheExperimentsRunInOneProcess()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var direct = tmp.Sub("direct");
        var options = new TheoryRunOptions { Seeds = 2, Quick = true };
        var results = new[] { "toy", "cc-minimizers", "joint" }.Select(n => TheorySuite.Get(n).Run(options, WhichFeatures.Core.NullProgress.Instance)).ToList();
        RunWriter.Write(direct, "theory", results, new { });

        var reproduced = Path.Combine(tmp.Path, "reproduced");
        var r = CliHarness.InProcess(["reproduce", "--out", reproduced, .. Options]);
        Assert.True(r.Code == 0, r.All);

        var planned = Path.Combine(tmp.Path, "planned");
        var plan = CliHarness.InProcess(["reproduce", "--plan", planned, .. Options]);
        Assert.True(plan.Code == 0, plan.All);
        Assert.Equal(5, SweepFiles.ManifestLines(planned).Length);
        var run = CliHarness.InProcess("sweep", "run", planned, "--all", "--jobs", "2");
        Assert.True(run.Code == 0, run.All);
        Assert.Contains("5 units ran", run.Out);
        var collect = CliHarness.InProcess("sweep", "collect", planned);
        Assert.True(collect.Code == 0, collect.All);

        var expected = SweepFiles.Claims(direct);
        Assert.Contains("CC-1", expected);
        Assert.Equal(expected, SweepFiles.Claims(reproduced));
        Assert.Equal(expected, SweepFiles.Claims(planned));
        foreach (var f in new[] { "report.html", "joint_beta_sweep.csv", "cc_minimizers.csv", "joint_accuracy_vs_beta.png" })
        {
            Assert.True(File.Exists(Path.Combine(planned, f)), f);
            Assert.True(File.Exists(Path.Combine(reproduced, f)), f);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(direct, "joint_beta_sweep.csv")), File.ReadAllText(Path.Combine(planned, "joint_beta_sweep.csv")));

        // Running a finished unit again does nothing.
        var again = CliHarness.InProcess("sweep", "run", planned, "--index", "3");
        Assert.True(again.Code == 0, again.All);
        Assert.Contains("already done", again.Out);
    }

    [Fact]
    public void AnInterruptedReproduceContinuesWhereItStopped()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "run");
        string[] args = ["reproduce", "--out", dir, "--seeds", "2", "--quick", "--only", "toy,joint"];
        Assert.Equal(0, CliHarness.InProcess(args).Code);
        var first = SweepFiles.Claims(dir);
        // As if stopped after unit 1: unit 2 has no result yet, and no report was written.
        var unit2 = Path.Combine(SweepFiles.UnitDir(dir, 2), SweepRunner.ResultFile);
        var kept = File.GetLastWriteTimeUtc(Path.Combine(SweepFiles.UnitDir(dir, 1), SweepRunner.ResultFile));
        File.Delete(unit2);
        File.Delete(Path.Combine(dir, "results.json"));

        var again = CliHarness.InProcess(args);
        Assert.True(again.Code == 0, again.All);
        Assert.Contains("2 of 3 units already done", again.Out);
        Assert.True(File.Exists(unit2));
        Assert.Equal(kept, File.GetLastWriteTimeUtc(Path.Combine(SweepFiles.UnitDir(dir, 1), SweepRunner.ResultFile)));
        Assert.Equal(first, SweepFiles.Claims(dir));

        // Other options into the same folder are refused (no --force): they would mix two sweeps.
        CliHarness.InProcess("reproduce", "--out", dir, "--seeds", "3", "--quick", "--only", "toy,joint").AssertUserError("--out", "not empty");
    }

    [Fact]
    public void ThePlanWritesAnArrayScriptAndAManifestLinePerUnit()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        var r = CliHarness.InProcess(["reproduce", "--plan", dir, "--max-parallel", "2", "--partition", "short", "--time", "00:30:00", "--mem", "2G", .. Options]);
        Assert.True(r.Code == 0, r.All);
        var lines = SweepFiles.ManifestLines(dir);
        var sbatch = File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile));
        Assert.Contains($"#SBATCH --array=0-{lines.Length - 1}%2\n", sbatch);
        foreach (var line in new[] { "#SBATCH --requeue", "#SBATCH --signal=B:TERM@120", "#SBATCH --partition=short", "#SBATCH --time=00:30:00", "#SBATCH --mem=2G", $"-eq {SweepRunner.RequeueExitCode} ]", "scontrol requeue" })
            Assert.Contains(line, sbatch);
        Assert.DoesNotContain("--gres", sbatch);
        var ids = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var u = doc.RootElement;
            Assert.Equal(i, u.GetProperty("index").GetInt32());
            Assert.StartsWith("units/", u.GetProperty("dir").GetString());
            Assert.Equal(2, u.GetProperty("theory").GetProperty("seeds").GetInt32());
            ids.Add(u.GetProperty("id").GetString()!);
        }
        Assert.Equal(["toy/seed-1", "cc-minimizers/seed-1", "cc-minimizers/seed-2", "joint/seed-1", "joint/seed-2"], ids);
        Assert.Contains("sbatch", File.ReadAllText(Path.Combine(dir, "README.md")));

        var gpu = Path.Combine(tmp.Path, "gpu");
        Assert.Equal(0, CliHarness.InProcess(["reproduce", "--plan", gpu, "--gpu", .. Options]).Code);
        var gpuScript = File.ReadAllText(Path.Combine(gpu, SweepScripts.SlurmFile));
        Assert.Contains("#SBATCH --gres=gpu:1\n", gpuScript);
        Assert.Contains($"#SBATCH --array=0-{lines.Length - 1}%{lines.Length}\n", gpuScript);
        Assert.Contains("nvidia.com/gpu: 1", File.ReadAllText(Path.Combine(gpu, SweepScripts.KubernetesFile)));
    }

    [Fact]
    public void ALockedUnitIsLeftToItsHolder()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy").Code);
        var unit = SweepFiles.UnitDir(dir, 0);
        using (var held = FolderLock.TryAcquire(unit))
        {
            Assert.NotNull(held);
            var busy = CliHarness.InProcess("sweep", "run", dir, "--index", "0");
            Assert.True(busy.Code == 0, busy.All);
            Assert.Contains("another process holds its lock", busy.Out);
            Assert.False(File.Exists(Path.Combine(unit, SweepRunner.ResultFile)));
            Assert.Contains("running", CliHarness.InProcess("sweep", "status", dir).Out);
        }
        var run = CliHarness.InProcess("sweep", "run", dir, "--index", "0");
        Assert.True(run.Code == 0, run.All);
        Assert.Contains(": done (", run.Out);
        Assert.Contains("1 done", CliHarness.InProcess("sweep", "status", dir).Out);
    }

    [Fact]
    public void TheSameIndexStartedTwiceAtOnceRunsOnce()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = Path.Combine(tmp.Path, "plan");
        // One CC-3 seed: a few seconds of GD, long enough for the second copy to find the first one running.
        Assert.Equal(0, CliHarness.InProcess("reproduce", "--plan", dir, "--only", "cc-dynamics", "--seeds", "1", "--quick").Code);
        using var a = CliHarness.Start(["sweep", "run", dir, "--index", "0"]);
        using var b = CliHarness.Start(["sweep", "run", dir], new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "0" });
        var ra = a.Wait(TimeSpan.FromSeconds(120));
        var rb = b.Wait(TimeSpan.FromSeconds(120));
        Assert.True(ra.Code == 0 && rb.Code == 0, ra.All + rb.All);
        var outs = new[] { ra.Out, rb.Out };
        Assert.Single(outs, o => o.Contains(": done ("));
        Assert.Single(outs, o => o.Contains("another process holds its lock") || o.Contains("already done"));
        Assert.True(File.Exists(Path.Combine(SweepFiles.UnitDir(dir, 0), SweepRunner.ResultFile)));
    }
}
