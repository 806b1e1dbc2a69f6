using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Runs sweep units. A unit runs under its folder's lock, writes result.json atomically when it finishes (the
/// "done" mark) after cost.json (<see cref="UnitCost"/>), and error.txt (one line) when it fails. A finished unit is skipped; an interrupted training run
/// resumes from its last checkpoint (the trainer's exact resume).
/// </summary>
public static class SweepRunner
{
    /// <summary>The unit's result, written last.</summary>
    public const string ResultFile = "result.json";
    /// <summary>The one-line error of the last failed attempt.</summary>
    public const string ErrorFile = "error.txt";
    /// <summary>Sub-folder of a real unit's training run (config.json, checkpoints, metrics.csv).</summary>
    public const string TrainFolder = "train";
    /// <summary>
    /// Exit code of a unit stopped by SIGTERM after writing its checkpoint (EX_TEMPFAIL, "try again"): the Slurm
    /// script requeues the task on it.
    /// </summary>
    public const int RequeueExitCode = 75;

    /// <summary>
    /// Runs <paramref name="unit"/> unless it is done or another process holds it, under a progress task
    /// "unit k of N: id" (<see cref="UnitProgressLine"/>; N = <paramref name="unitCount"/>, left out when 0) that ends
    /// after result.json is written; the trainer's notes (where it resumed) go to <paramref name="log"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="ct"/> stops it; a training run has checkpointed first.</exception>
    public static UnitRun Run(string sweepDir, SweepUnit unit, IRunProgress progress, CancellationToken ct = default, TextWriter? log = null, int unitCount = 0)
    {
        var folder = unit.FolderIn(sweepDir);
        var resultPath = Path.Combine(folder, ResultFile);
        if (File.Exists(resultPath)) return new UnitRun(unit, UnitOutcome.AlreadyDone);
        using var held = FolderLock.TryAcquire(folder);
        if (held is null) return new UnitRun(unit, UnitOutcome.Busy);
        // The other copy may have finished between our check and our lock.
        if (File.Exists(resultPath)) return new UnitRun(unit, UnitOutcome.AlreadyDone);
        var errorPath = Path.Combine(folder, ErrorFile);
        if (File.Exists(errorPath)) File.Delete(errorPath);
        using var unitTask = progress.Start(UnitProgressLine.TaskName(unit, unitCount), 1);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var resultJson = Execute(unit, folder, progress, ct, log);
            // Measured costs are what --time and --mem defaults come from (UnitResources, docs/cluster.md).
            var cost = new UnitCost(clock.Elapsed.TotalSeconds, ProcessMemory.PeakRssMegabytes());
            cost.Write(folder);
            AtomicFile.WriteAllText(resultPath, resultJson);
            unitTask.Increment();   // all of it: its end line says "done in", not "interrupted after"
            return new UnitRun(unit, UnitOutcome.Done, Cost: cost);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            AtomicFile.WriteAllText(errorPath, $"{(e is UserInputException ? "" : e.GetType().Name + ": ")}{SweepFolder.OneLine(e.Message)}\n");
            return new UnitRun(unit, UnitOutcome.Failed, e);
        }
    }

    /// <summary>
    /// Runs every unit with <paramref name="jobs"/> workers in this process. With <paramref name="stopOnFailure"/>
    /// the first failure is rethrown once the running units end; otherwise every unit is tried. Each attempt is
    /// passed to <paramref name="finished"/> as it ends.
    /// </summary>
    public static IReadOnlyList<UnitRun> RunAll(string sweepDir, IReadOnlyList<SweepUnit> units, int jobs, IRunProgress progress,
        bool stopOnFailure = false, CancellationToken ct = default, TextWriter? log = null, Action<UnitRun>? finished = null)
    {
        if (jobs < 1) throw new UserInputException($"--jobs {jobs}: expected at least 1.");
        var runs = new UnitRun?[units.Count];
        int next = -1;
        Exception? firstFailure = null;
        void Worker()
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= units.Count || ct.IsCancellationRequested || (stopOnFailure && Volatile.Read(ref firstFailure) is not null)) return;
                var r = Run(sweepDir, units[i], progress, ct, log, units.Count);
                runs[i] = r;
                finished?.Invoke(r);
                if (r.Error is not null) Interlocked.CompareExchange(ref firstFailure, r.Error, null);
            }
        }
        if (jobs == 1) Worker();
        else
        {
            var threads = Enumerable.Range(0, Math.Min(jobs, units.Count)).Select(_ => new Thread(Worker, 64 * 1024 * 1024)).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        ct.ThrowIfCancellationRequested();
        if (stopOnFailure && firstFailure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(firstFailure).Throw();
        return runs.Where(r => r is not null).Select(r => r!).ToList();
    }

    /// <summary>Where every unit stands, from its folder (result.json, lock, error.txt).</summary>
    public static IReadOnlyList<UnitState> Status(string sweepDir, IReadOnlyList<SweepUnit> units) => units.Select(u =>
    {
        var folder = u.FolderIn(sweepDir);
        if (File.Exists(Path.Combine(folder, ResultFile))) return new UnitState(u, UnitStatus.Done, null);
        if (FolderLock.IsHeld(folder)) return new UnitState(u, UnitStatus.Running, null);
        var errorPath = Path.Combine(folder, ErrorFile);
        if (File.Exists(errorPath)) return new UnitState(u, UnitStatus.Failed, SweepFolder.OneLine(File.ReadAllText(errorPath)));
        return new UnitState(u, UnitStatus.Pending, null);
    }).ToList();

    // The unit's result as result.json holds it.
    private static string Execute(SweepUnit unit, string folder, IRunProgress progress, CancellationToken ct, TextWriter? log) => unit.Work switch
    {
        TheoryUnitWork t => TheorySuite.Get(unit.Experiment).WithUnits(new TheoryUnitRun(t, progress, ct)),
        RealUnitWork r => ResultJson(Train(r.Run, folder, progress, ct, log)),
        _ => throw new InvalidOperationException($"unit {unit.Id}: unknown work {unit.Work.GetType().Name}"),
    };

    /// <summary>Runs one theory unit at its experiment's own result type, into result.json's text.</summary>
    private sealed class TheoryUnitRun(TheoryUnitWork work, IRunProgress progress, CancellationToken ct) : ITheoryUnitsUser<string>
    {
        public string Use<TUnit>(ITheoryUnits<TUnit> units) where TUnit : notnull => ResultJson(units.RunUnit(work.Options, work.Seed, progress, ct));
    }

    private static RealRunSummary Train(RealRunSpec spec, string folder, IRunProgress progress, CancellationToken ct, TextWriter? log)
    {
        var trainDir = Path.Combine(folder, TrainFolder);
        bool resume = Directory.Exists(trainDir) && Directory.EnumerateFiles(trainDir, "*.wfck").Any();
        // The CLI's test-only crash/pause points (environment variables) reach sweep units as they reach `train`.
        return RealRunner.Train(spec, trainDir, resume, progress, ct, log, FaultInjection.FromEnvironment(trainDir));
    }

    /// <summary>The text of a unit's result.json holding <paramref name="result"/> (what <see cref="ReadResult{TUnit}"/> reads back).</summary>
    public static string ResultJson<TUnit>(TUnit result) where TUnit : notnull => JsonSerializer.Serialize(result, RunJson.Options);

    /// <summary>Reads a finished unit's result.</summary>
    /// <typeparam name="TUnit">What the unit measured: a theory experiment's unit result (<see cref="ITheoryUnits{TUnit}"/>) or a real unit's <see cref="RealRunSummary"/>.</typeparam>
    public static TUnit ReadResult<TUnit>(string sweepDir, SweepUnit unit) where TUnit : notnull
    {
        var path = Path.Combine(unit.FolderIn(sweepDir), ResultFile);
        try { return JsonSerializer.Deserialize<TUnit>(File.ReadAllText(path), RunJson.Options) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new UserInputException($"{path}: not a valid unit result ({SweepFolder.OneLine(e.Message)}); delete it and run unit {unit.Index} again.", e); }
    }
}
