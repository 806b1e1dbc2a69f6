using System.Text.Json;
using System.Text.Json.Nodes;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// What information reaches a sweep's numbers (docs/testing.md, information-flow tests): a unit's result.json
/// depends only on its own manifest line, never on which units ran before it, beside it or failed next to it; the
/// collected report depends only on the result files of the manifest's units, never on their completion order,
/// timestamps, leftover error and lock files, or other folders under units/; a preempted unit resumes from its own
/// folder only, whatever its siblings hold. No reference values are needed: each test compares two sweeps that may
/// differ only in what must not matter.
/// </summary>
[Collection("torch")]
public class SweepFlowTests
{
    // The cheapest theory units (a second or two for all five): toy/seed-1, cc-minimizers/seed-1..2, joint/seed-1..2.
    private static readonly TheoryRunOptions Options = new() { Seeds = 2, Quick = true };
    private static readonly string[] Experiments = ["toy", "cc-minimizers", "joint"];

    private static (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) Plan(string dir)
    {
        var (plan, units) = SweepPlan.ForTheory(Options, Experiments.Select(TheorySuite.Get).ToList(), new ClusterOptions());
        SweepFolder.Write(dir, plan, units);
        return (plan, units);
    }

    /// <summary>Plans the sweep into <paramref name="dir"/> and runs every unit in manifest order on one worker.</summary>
    private static (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) RunInOrder(string dir)
    {
        var (plan, units) = Plan(dir);
        Assert.All(SweepRunner.RunAll(dir, units, jobs: 1, NullProgress.Instance), r => Assert.Equal(UnitOutcome.Done, r.Outcome));
        return (plan, units);
    }

    private static byte[] ResultBytes(string sweepDir, SweepUnit u) => File.ReadAllBytes(Path.Combine(u.FolderIn(sweepDir), SweepRunner.ResultFile));

    /// <summary>
    /// What `sweep collect` reports that must not depend on anything but the units' results: results.json without
    /// its provenance (start time, command, machine) and every CSV.
    /// </summary>
    private static string Collected(string sweepDir)
    {
        SweepCollector.Collect(sweepDir, "sweep collect", new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(sweepDir, "results.json")))!.AsObject();
        Assert.True(results.Remove("provenance"));
        var csvs = Directory.GetFiles(sweepDir, "*.csv").Order(StringComparer.Ordinal).Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}");
        return results.ToJsonString() + "\n" + string.Join("\n", csvs);
    }

    /// <summary>Fails the unit whose task is named <paramref name="victim"/> at its third progress step (mid-run, after real work).</summary>
    private sealed class FailingProgress(string victim) : IRunProgress
    {
        public IProgressTask Start(string name, double total) => name == victim ? new Task() : NullProgress.Instance;

        private sealed class Task : IProgressTask
        {
            private int _steps;
            public void Increment(double by = 1, string? status = null)
            {
                if (++_steps == 3) throw new InvalidOperationException("poisoned unit fails mid-run");
            }
            public void Dispose() { }
        }
    }

    [Fact]
    public void AUnitsResultDependsOnlyOnItsOwnSpec()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var straight = Path.Combine(tmp.Path, "straight");
        var (plan, units) = RunInOrder(straight);

        // The same plan, its units in reverse order on two workers, with a unit of another seed dying mid-run in the
        // middle of them (after it has drawn data and solved for a few betas).
        var shuffled = Path.Combine(tmp.Path, "shuffled");
        Plan(shuffled);
        var firstJoint = units.First(u => u.Experiment == "joint");
        var poisoned = firstJoint with { Index = units.Count, Id = "joint/seed-7", Work = (TheoryUnitWork)firstJoint.Work with { Seed = 7 }, Dir = "units/9999-joint-seed7" };
        var order = units.Reverse().ToList();
        order.Insert(order.Count / 2, poisoned);
        var runs = SweepRunner.RunAll(shuffled, order, jobs: 2, new FailingProgress("joint seed 7"));
        Assert.Equal(UnitOutcome.Failed, runs.Single(r => r.Unit == poisoned).Outcome);
        Assert.True(File.Exists(Path.Combine(poisoned.FolderIn(shuffled), SweepRunner.ErrorFile)));
        Assert.All(runs.Where(r => r.Unit != poisoned), r => Assert.Equal(UnitOutcome.Done, r.Outcome));

        // And each unit run alone by a fresh call, as one Slurm array task would.
        var alone = Path.Combine(tmp.Path, "alone");
        Plan(alone);
        foreach (var u in units) Assert.Equal(UnitOutcome.Done, SweepRunner.Run(alone, u, NullProgress.Instance).Outcome);

        foreach (var u in units)
        {
            var expected = ResultBytes(straight, u);
            Assert.True(expected.SequenceEqual(ResultBytes(shuffled, u)), $"{u.Id}: result.json differs when the units run in reverse order on two workers next to a failing unit");
            Assert.True(expected.SequenceEqual(ResultBytes(alone, u)), $"{u.Id}: result.json differs when the unit runs alone");
        }
        // The seeds did reach the units: the two joint seeds differ (so equal files above are not equal by construction).
        var joint = units.Where(u => u.Experiment == "joint").ToList();
        Assert.False(ResultBytes(straight, joint[0]).SequenceEqual(ResultBytes(straight, joint[1])));
    }

    [Fact]
    public void TheCollectedReportDependsOnlyOnTheManifestUnitsResults()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var reference = Path.Combine(tmp.Path, "reference");
        var (plan, units) = RunInOrder(reference);
        var expected = Collected(reference);
        Assert.Contains("\"JOINT\"", expected);

        // The same result files in another sweep folder of the same plan, as a cluster leaves them: written in reverse
        // order (unit 0 last, so newest; the units' folders created in that order), each beside a leftover error.txt
        // of an earlier failed attempt and a lock file, with per-task logs, and with other folders under units/ that
        // are not in the manifest: a stray unit of a third seed with a valid result, a backup copy, a broken one.
        var cluster = Path.Combine(tmp.Path, "cluster");
        Plan(cluster);
        var start = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int k = 0; k < units.Count; k++)
        {
            var u = units[units.Count - 1 - k];
            var folder = u.FolderIn(cluster);
            Directory.CreateDirectory(folder);
            var result = Path.Combine(folder, SweepRunner.ResultFile);
            File.Copy(Path.Combine(u.FolderIn(reference), SweepRunner.ResultFile), result);
            File.SetLastWriteTimeUtc(result, start.AddMinutes(k));
            File.WriteAllText(Path.Combine(folder, SweepRunner.ErrorFile), "OutOfMemoryException: an earlier attempt on another node\n");
            File.WriteAllText(Path.Combine(folder, FolderLock.FileName), "");
            File.WriteAllText(Path.Combine(cluster, "logs", $"4242_{u.Index}.out"), $"worker node{k % 2}: unit {u.Index}\n");
        }
        var joint = units.Where(u => u.Experiment == "joint").ToList();
        var cc = units.Where(u => u.Experiment == "cc-minimizers").ToList();
        void Stray(string dir, string text)
        {
            Directory.CreateDirectory(Path.Combine(cluster, dir));
            File.WriteAllText(Path.Combine(cluster, dir, SweepRunner.ResultFile), text);
        }
        // A third joint seed: the second seed's numbers with every accuracy set to 0 (valid JSON of the right type).
        Stray($"units/{units.Count:D4}-joint-seed3", File.ReadAllText(Path.Combine(joint[1].FolderIn(reference), SweepRunner.ResultFile)).Replace("Accuracy\": 1", "Accuracy\": 0"));
        Stray(joint[0].Dir + ".bak", File.ReadAllText(Path.Combine(joint[1].FolderIn(reference), SweepRunner.ResultFile)));
        Stray($"units/{units.Count + 1:D4}-cc-minimizers-seed3", "{ not json");
        Stray(cc[0].Dir + "-old", File.ReadAllText(Path.Combine(cc[1].FolderIn(reference), SweepRunner.ResultFile)));

        Assert.Equal(expected, Collected(cluster));
    }

    /// <summary>A real unit's result.json without what a clock measures (wall seconds, images per second, memory).</summary>
    private static string WithoutTimings(string sweepDir, SweepUnit u)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(u.FolderIn(sweepDir), SweepRunner.ResultFile)))!;
        void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (var key in o.Select(p => p.Key).Where(k => k.Contains("second", StringComparison.OrdinalIgnoreCase) || k.Contains("rss", StringComparison.OrdinalIgnoreCase)).ToList())
                    o.Remove(key);
                foreach (var p in o) Strip(p.Value);
            }
            else if (node is JsonArray a) foreach (var x in a) Strip(x);
        }
        Strip(json);
        return json.ToJsonString();
    }

    /// <summary>Progress that runs <paramref name="atStep"/> once, when the run reports training step <paramref name="step"/> (1-based).</summary>
    private sealed class StepHook(int step, Action atStep) : IRunProgress, IProgressTask
    {
        private int _steps;
        public IProgressTask Start(string name, double total) => this;
        public void Increment(double by = 1, string? status = null)
        {
            if (Interlocked.Increment(ref _steps) == step) atStep();
        }
        public void Dispose() { }
    }

    /// <summary>Runs <paramref name="unit"/> until it is stopped, as a preempted task is, after training step <paramref name="step"/>.</summary>
    private static void RunUntilPreempted(string sweepDir, SweepPlan plan, SweepUnit unit, int step)
    {
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => SweepRunner.Run(sweepDir, unit, new StepHook(step, cts.Cancel), cts.Token));
        Assert.NotEmpty(WhichFeatures.Training.Checkpoint.List(Path.Combine(unit.FolderIn(sweepDir), SweepRunner.TrainFolder)));
    }

    [Fact]
    public void ARealUnitResumesFromItsOwnFolderOnly()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = tmp.Sub("data");
        TinyRun.WriteData(Path.Combine(data, "cifar-10-batches-bin"));
        // cc-over-training, one seed: three units (SCL, UCL, joint).
        var options = SweepFiles.TinyRealOptions(data);
        (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) PlanIn(string dir)
        {
            var p = SweepPlan.ForReal(options, [RealSuite.Get("cc-over-training")], new ClusterOptions());
            SweepFolder.Write(dir, p.Plan, p.Units);
            return p;
        }
        var straight = Path.Combine(tmp.Path, "straight");
        var (plan, units) = PlanIn(straight);
        Assert.Equal(3, units.Count);
        var unit = units[0];
        Assert.Equal(UnitOutcome.Done, SweepRunner.Run(straight, unit, NullProgress.Instance).Outcome);

        // The same unit in a sweep where it is preempted in epoch 2 and requeued, while its siblings hold newer
        // checkpoints: unit 1 (another loss) started after it and was preempted one step later; unit 2 holds garbage
        // in every file a unit keeps (checkpoints named as newer still, config.json, metrics.csv, result, error),
        // and more garbage appears there while the unit trains, as a sibling writing on another node would.
        var preempted = Path.Combine(tmp.Path, "preempted");
        PlanIn(preempted);
        int stop = TinyRun.StepsPerEpoch + 2;
        RunUntilPreempted(preempted, plan, unit, stop);
        RunUntilPreempted(preempted, plan, units[1], stop + 1);
        void Garbage(int step)
        {
            var folder = units[2].FolderIn(preempted);
            var train = Path.Combine(folder, SweepRunner.TrainFolder);
            Directory.CreateDirectory(train);
            var name = $"checkpoint-0002-{step:D6}.wfck";
            foreach (var f in new[] { name, name + ".sha256", "config.json", "metrics.csv", "results.json" })
                File.WriteAllText(Path.Combine(train, f), $"garbage at step {step}\n");
            File.WriteAllText(Path.Combine(folder, SweepRunner.ResultFile), "{ garbage");
            File.WriteAllText(Path.Combine(folder, SweepRunner.ErrorFile), $"garbage at step {step}\n");
        }
        Garbage(4);
        var log = new StringWriter();
        bool garbageDuringRun = false;
        var run = SweepRunner.Run(preempted, unit, new StepHook(1, () => { Garbage(5); garbageDuringRun = true; }), log: log);
        Assert.True(run.Outcome == UnitOutcome.Done, run.Error?.ToString());
        Assert.True(garbageDuringRun);
        Assert.Contains("resumed in epoch 2 after step 2 of the epoch", log.ToString());
        Assert.Equal(WithoutTimings(straight, unit), WithoutTimings(preempted, unit));
        Assert.Contains("\"history\"", WithoutTimings(straight, unit));
    }
}
