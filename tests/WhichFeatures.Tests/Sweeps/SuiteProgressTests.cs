using System.Text.RegularExpressions;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// `reproduce` says how far the whole suite is (src/WhichFeatures/Sweeps/SuiteProgress.cs): "k of N units done"
/// with the suite's percentage and ETA, every unit as "unit k of N: id", and, with --jobs 2, the other process's units
/// on the same console ("worker 1: unit k of N: id"), read from its output lines (UnitProgressLine).
/// </summary>
[Collection("torch")]
public class SuiteProgressTests
{
    // The cheapest theory units, as in ReproductionTests: five units of a second or two.
    private static readonly ReproduceOptions Cheap = new() { Seeds = 2, Quick = true, Only = "toy,cc-minimizers,joint" };

    [Fact]
    public void A_worker_s_plain_unit_lines_are_read_back_and_no_other_line_is()
    {
        var (_, units) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        var text = new StringWriter();
        var plain = new PlainProgress(text, minSecondsBetweenLines: 0);
        using (var t = plain.Start(UnitProgressLine.TaskName(units[3], units.Count), 1)) t.Increment(1, "status: with colons");
        using (plain.Start("toy seed 1: train", 10)) { }
        using (var stop = new CancellationTokenSource())
        {
            var stopped = new PlainProgress(text, minSecondsBetweenLines: 1000, stopping: stop.Token);
            var cut = stopped.Start(UnitProgressLine.TaskName(units[1], units.Count), 1);
            stop.Cancel();
            cut.Dispose();
        }
        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"unit 4 of {units.Count}: {units[3].Id}: started", lines[0]);
        var read = lines.Select(l => UnitProgressLine.TryParse(l, out int i, out bool started) ? (i, started) : (-1, false)).ToList();
        Assert.Equal([(3, true), (-1, false), (3, false), (-1, false), (-1, false), (1, true), (1, false)], read);   // started, the 100 % line, done; the other task's lines; a unit started and interrupted
        Assert.Contains($"unit 2 of {units.Count}: {units[1].Id}: interrupted after ", lines[^1]);
    }

    [Fact]
    public void The_suite_counts_units_done_here_and_by_workers_once_each_weighted_by_their_work()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (plan, units) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        SweepFolder.Write(tmp.Path, plan, units);
        MarkDone(tmp.Path, units[0]);   // done before this run: counted from the start, not as progress
        var rec = new NamedRecording();
        using (var suite = new SuiteProgress(rec, tmp.Path, units, smokeRun: true))
        {
            Assert.Equal(($"suite (smoke run), {units.Count} units", units.Count - 1.0), rec.Tasks[0]);
            suite.UnitFinished(new UnitRun(units[1], UnitOutcome.Done));
            suite.UnitFinished(new UnitRun(units[1], UnitOutcome.Done));   // once only
            suite.UnitFinished(new UnitRun(units[2], UnitOutcome.Busy));   // another process has it: not done here
            suite.WorkerLine(1, $"[10:00:00] {UnitProgressLine.TaskName(units[2], units.Count)}: started");
            Assert.Equal($"worker 1: unit 3 of {units.Count}: {units[2].Id}", rec.Tasks[^1].Name);
            MarkDone(tmp.Path, units[2]);
            suite.WorkerLine(1, $"[10:00:04] {UnitProgressLine.TaskName(units[2], units.Count)}: done in 4.0 s");
            suite.WorkerLine(1, $"[10:00:05] {UnitProgressLine.TaskName(units[3], units.Count)}: started");
            suite.WorkerLine(1, $"[10:00:06] {UnitProgressLine.TaskName(units[3], units.Count)}: done in 1.0 s");   // no result.json: failed, not counted
            suite.WorkerLine(1, "[10:00:07] toy seed 2: train: 40 %");
        }
        // The suite's steps, and the worker's unit 3 filled (it has its result.json); unit 4 is not.
        Assert.Equal([(1.0, $"2 of {units.Count} units done"), (1.0, null), (1.0, $"3 of {units.Count} units done")], rec.Steps);
        Assert.Equal(2, rec.Disposed.Count(n => n.StartsWith("worker 1: ", StringComparison.Ordinal)));   // units 3 and 4 ended
        Assert.Equal(rec.Tasks[0].Name, rec.Disposed[^1]);   // the suite's task, last
    }

    [Fact]
    public void A_real_unit_weighs_its_epochs_times_its_training_images()
    {
        var o = new WhichFeatures.Experiments.Real.RealRunOptions { DataDir = Path.GetTempPath(), Seeds = 1 };
        var (_, units) = SweepPlan.ForReal(o, [WhichFeatures.Experiments.Real.RealSuite.Get("cc-over-training")], new ClusterOptions());
        var cfg = ((RealUnitWork)units[0].Work).Run.Config;
        Assert.Equal((double)cfg.Epochs * cfg.TrainSize, SuiteProgress.Weight(units[0]));
        var (_, theory) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        Assert.Equal(1, SuiteProgress.Weight(theory[0]));
    }

    [Fact]
    public void With_two_jobs_the_console_shows_both_processes_units_and_the_suite_s_progress()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (plan, units) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        var dir = tmp.Sub("run");
        var console = new StringWriter();
        // This process holds its first unit until the worker has shown one of its own, so both surely run units.
        var progress = new HoldFirstUnitUntilAWorkerShows(new PlainProgress(TextWriter.Synchronized(console), minSecondsBetweenLines: 0));
        var worker = new ProgramCommand(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [CliHarness.CliDll]);
        LocalReproduction.Run(dir, plan, units, jobs: 2, worker, "test", TextWriter.Null, progress);
        Assert.True(progress.WorkerShown, "no unit of the worker process reached this console:\n" + console);

        var text = console.ToString();
        var log = File.ReadAllText(Path.Combine(dir, "workers", "worker-1.log"));
        var workerUnits = Regex.Matches(log, @"\] (unit \d+ of \d+: \S+): started").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(workerUnits);
        foreach (var u in workerUnits)
        {
            Assert.Contains($"worker 1: {u}: started", text);
            Assert.Contains($"worker 1: {u}: done in", text);
        }
        // Every unit appears exactly once as started: here, or by the worker.
        foreach (var u in units)
        {
            var name = UnitProgressLine.TaskName(u, units.Count);
            int here = Regex.Matches(text, $@"\] {Regex.Escape(name)}: started").Count;
            Assert.Equal(1, here + (workerUnits.Contains(name) ? 1 : 0));
        }
        Assert.Contains($"suite (smoke run), {units.Count} units: done in", text);
        Assert.Contains($"{units.Count} of {units.Count} units done", text);
    }

    private static void MarkDone(string sweepDir, SweepUnit unit)
    {
        Directory.CreateDirectory(unit.FolderIn(sweepDir));
        File.WriteAllText(Path.Combine(unit.FolderIn(sweepDir), SweepRunner.ResultFile), "{}");
    }

    /// <summary>Records task names, totals, increments and which tasks ended.</summary>
    private sealed class NamedRecording : IRunProgress
    {
        public List<(string Name, double Total)> Tasks { get; } = [];
        public List<(double By, string? Status)> Steps { get; } = [];
        public List<string> Disposed { get; } = [];

        public IProgressTask Start(string name, double total)
        {
            Tasks.Add((name, total));
            return new Task(this, name);
        }

        private sealed class Task(NamedRecording owner, string name) : IProgressTask
        {
            public void Increment(double by = 1, string? status = null) => owner.Steps.Add((by, status));
            public void Dispose() => owner.Disposed.Add(name);
        }
    }

    /// <summary>Passes everything on; the first "unit ..." task of this process waits (up to a minute) until a "worker ..." task has started.</summary>
    private sealed class HoldFirstUnitUntilAWorkerShows(IRunProgress inner) : IRunProgress
    {
        private readonly ManualResetEventSlim _workerShown = new();
        private int _held;

        public bool WorkerShown => _workerShown.IsSet;

        public IProgressTask Start(string name, double total)
        {
            var task = inner.Start(name, total);
            if (name.StartsWith("worker ", StringComparison.Ordinal)) _workerShown.Set();
            else if (name.StartsWith("unit ", StringComparison.Ordinal) && Interlocked.Exchange(ref _held, 1) == 0) _workerShown.Wait(TimeSpan.FromMinutes(1));
            return task;
        }
    }
}
