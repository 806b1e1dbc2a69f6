using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>
/// A local <c>reproduce</c>: the same sweep a cluster would run, run here. Plan into the folder, run every unit
/// (this process and <c>jobs - 1</c> worker processes), collect the report. Rerunning it on the same folder continues
/// it: finished units are skipped, training runs resume.
/// </summary>
public static class LocalReproduction
{
    /// <summary>
    /// Runs the sweep <paramref name="plan"/> / <paramref name="units"/> in <paramref name="dir"/> (already prepared
    /// by the caller) and collects it. Lines about continuing and smoke runs go to <paramref name="output"/>.
    /// </summary>
    /// <param name="dir">The run folder, full path.</param>
    /// <param name="plan">The sweep's plan.</param>
    /// <param name="units">The sweep's units.</param>
    /// <param name="jobs">Units at once; more than 1 starts worker processes of <paramref name="self"/>.</param>
    /// <param name="self">How to start this program again (required when <paramref name="jobs"/> &gt; 1).</param>
    /// <param name="command">The command line recorded in the report's provenance.</param>
    /// <param name="output">Where the progress lines go (the console in the CLI).</param>
    /// <param name="progress">Progress of the suite (<see cref="SuiteProgress"/>) and of every unit, the workers' included; null = <see cref="ConsoleProgress"/>.</param>
    /// <param name="ct">Stops the run; units checkpoint first.</param>
    /// <exception cref="UserInputException">When a unit failed or did not finish.</exception>
    public static LocalReproductionResult Run(string dir, SweepPlan plan, IReadOnlyList<SweepUnit> units, int jobs, ProgramCommand? self,
        string command, TextWriter output, IRunProgress? progress = null, CancellationToken ct = default)
    {
        if (jobs > 1 && self is null) throw new ArgumentException("worker processes need the command that starts this program", nameof(self));
        if (SweepFolder.PrepareToContinue(dir, plan, units))
            output.WriteLine($"Continuing the run in {dir}: {SweepRunner.Status(dir, units).Count(s => s.Status == UnitStatus.Done)} of {units.Count} units already done.");
        if (plan.IsSmokeRun) output.WriteLine(RunWriter.SmokeRunNote);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        // This process runs units too; the workers take the others through the units' locks. The suite's progress
        // (k of N units done, ETA) counts both, and shows the workers' units beside this process's own.
        IReadOnlyList<UnitRun> RunHere(IRunProgress p)
        {
            using var suite = new SuiteProgress(p, dir, units, plan.IsSmokeRun);
            using var workers = jobs > 1 ? new SweepWorkerProcesses(dir, jobs - 1, self!, suite.WorkerLine) : null;
            var runs = SweepRunner.RunAll(dir, units, jobs: 1, p, stopOnFailure: true, ct, finished: suite.UnitFinished);
            workers?.WaitForAll();
            return runs;
        }
        if (progress is null) ConsoleProgress.Run(RunHere, stopping: ct); else RunHere(progress);
        ThrowIfUnfinished(dir, units);
        var results = SweepCollector.Collect(dir, command, started);
        return new LocalReproductionResult(results, clock.Elapsed);
    }

    private static void ThrowIfUnfinished(string dir, IReadOnlyList<SweepUnit> units)
    {
        var unfinished = SweepRunner.Status(dir, units).Where(u => u.Status != UnitStatus.Done).ToList();
        if (unfinished.Count > 0)
            throw new UserInputException($"{unfinished.Count} units did not finish (first: {unfinished[0].Unit.Id}{(unfinished[0].Error is { } e ? ": " + e : "")}); see {Path.Combine(dir, "workers")} and rerun the same command to continue.");
    }
}
