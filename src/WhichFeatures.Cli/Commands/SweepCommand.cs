using System.CommandLine;
using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures sweep run|status|collect</c>: run, watch and collect a sweep written by <c>reproduce --plan</c>.</summary>
public static class SweepCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var cmd = new Command("sweep", "Run, watch and collect a sweep made by `reproduce --plan DIR` (Slurm array, Kubernetes Indexed Job, or here).");
        cmd.Add(RunCommand());
        cmd.Add(StatusCommand());
        cmd.Add(CollectCommand());
        return cmd;
    }

    private static Argument<string> DirArgument() => new("DIR") { Description = "The sweep folder." };

    private static Command RunCommand()
    {
        var dir = DirArgument();
        var index = new Option<int?>("--index") { Description = "Unit to run (default: $SLURM_ARRAY_TASK_ID, then $JOB_COMPLETION_INDEX)." };
        var all = new Option<bool>("--all") { Description = "Run every unit here." };
        var jobs = new Option<int>("--jobs") { Description = "--all: units run at once.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("run", "Run one unit (idempotent: a finished unit is skipped, an interrupted one resumes), or --all of them.") { dir, index, all, jobs };
        cmd.SetAction((parse, ct) =>
        {
            var sweepDir = Path.GetFullPath(parse.GetValue(dir)!);
            var (plan, units) = SweepFolder.Load(sweepDir);
            if (parse.GetValue(all))
            {
                if (parse.GetValue(index) is not null) throw new UserInputException("--all and --index: give one.");
                int j = parse.GetValue(jobs);
                if (j < 1) throw new UserInputException($"--jobs {j}: expected at least 1.");
                var clock = Stopwatch.StartNew();
                // Training runs share libtorch's process-wide state, so real units run side by side in worker
                // processes (this program again); theory units run on worker threads.
                bool processes = j > 1 && units.Any(u => u.Work is RealUnitWork);
                using var workers = processes ? new SweepWorkerProcesses(sweepDir, j - 1, ProgramCommand.ForProcess(Environment.ProcessPath, Environment.GetCommandLineArgs()[0])) : null;
                var runs = ConsoleProgress.Run(progress => SweepRunner.RunAll(sweepDir, units, processes ? 1 : j, progress, stopOnFailure: false, ct, Console.Error), stopping: ct);
                workers?.WaitForAll();
                foreach (var r in runs.Where(r => r.Outcome == UnitOutcome.Failed))
                    Console.Error.WriteLine($"unit {r.Unit.Index} {r.Unit.Id} failed: {SweepFolder.OneLine(r.Error!.Message)}");
                Console.WriteLine($"{runs.Count(r => r.Outcome == UnitOutcome.Done)} units ran, {runs.Count(r => r.Outcome == UnitOutcome.AlreadyDone)} were done, " +
                                  $"{runs.Count(r => r.Outcome == UnitOutcome.Busy)} held by other processes, {runs.Count(r => r.Outcome == UnitOutcome.Failed)} failed ({clock.Elapsed.TotalSeconds:0.0} s).");
                return Task.FromResult(runs.Any(r => r.Outcome == UnitOutcome.Failed) ? CliApp.InternalError : CliApp.Ok);
            }
            int i = parse.GetValue(index) ?? IndexFromEnvironment();
            if (i < 0 || i >= units.Count)
                throw new UserInputException($"--index {i}: out of range; {Path.Combine(sweepDir, SweepFolder.ManifestFile)} has {units.Count} units (0..{units.Count - 1}).");
            var unit = units[i];
            UnitRun run;
            try
            {
                run = ConsoleProgress.Run(progress => SweepRunner.Run(sweepDir, unit, progress, ct, Console.Error, units.Count), stopping: ct);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"unit {i} {unit.Id}: stopped{(unit.Work is RealUnitWork ? " at a checkpoint" : "")}; exit {SweepRunner.RequeueExitCode} so the scheduler requeues it (it resumes from there).");
                return Task.FromResult(SweepRunner.RequeueExitCode);
            }
            switch (run.Outcome)
            {
                case UnitOutcome.Done: Console.WriteLine($"unit {i} {unit.Id}: done ({run.Cost!.Seconds:0.0} s, peak RSS {run.Cost.ProcessPeakRssMegabytes:0} MB)."); break;
                case UnitOutcome.AlreadyDone: Console.WriteLine($"unit {i} {unit.Id}: already done; nothing to run."); break;
                case UnitOutcome.Busy: Console.WriteLine($"unit {i} {unit.Id}: another process holds its lock ({Path.Combine(unit.Dir, FolderLock.FileName)}); leaving the unit to it."); break;
                case UnitOutcome.Failed:
                    Console.Error.WriteLine($"error: unit {i} {unit.Id} failed: {SweepFolder.OneLine(run.Error!.Message)}");
                    return Task.FromResult(run.Error is UserInputException ? CliApp.UserError : CliApp.InternalError);
            }
            return Task.FromResult(CliApp.Ok);
        });
        return cmd;
    }

    /// <summary>The array index the scheduler gave this task.</summary>
    private static int IndexFromEnvironment()
    {
        foreach (var name in new[] { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" })
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } v)
                return int.TryParse(v, out var i) ? i : throw new UserInputException($"${name} = \"{v}\": expected a unit index.");
        throw new UserInputException("--index: not given, and neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set (pass --index I or --all).");
    }

    private static Command StatusCommand()
    {
        var dir = DirArgument();
        var cmd = new Command("status", "Print each unit's state (done, running, failed with its error, pending).") { dir };
        cmd.SetAction(parse =>
        {
            var sweepDir = Path.GetFullPath(parse.GetValue(dir)!);
            var (_, units) = SweepFolder.Load(sweepDir);
            var states = SweepRunner.Status(sweepDir, units);
            int width = Math.Max(4, states.Max(s => s.Unit.Id.Length));
            Console.WriteLine($"{"unit",5}  {"id".PadRight(width)}  status   error");
            foreach (var s in states)
                Console.WriteLine($"{s.Unit.Index,5}  {s.Unit.Id.PadRight(width)}  {s.Status.ToString().ToLowerInvariant(),-7}  {s.Error}".TrimEnd());
            Console.WriteLine(string.Join(", ", Enum.GetValues<UnitStatus>().Select(v => $"{states.Count(s => s.Status == v)} {v.ToString().ToLowerInvariant()}")) + $" (of {states.Count}).");
            if (KnownUnitCost.Measured(units.Select(u => UnitCost.Read(u.FolderIn(sweepDir))).OfType<UnitCost>().ToList()) is { } measured)
            {
                var r = UnitResources.From(measured);
                Console.WriteLine($"Cost so far: {measured.Source}; a plan from these would ask --time {r.Time} --mem {r.Memory}.");
            }
            return CliApp.Ok;
        });
        return cmd;
    }

    private static Command CollectCommand()
    {
        var dir = DirArgument();
        var cmd = new Command("collect", "Write results.json, report.html, CSVs and plots from a finished sweep (refuses while any unit is missing).") { dir };
        cmd.SetAction(parse =>
        {
            var sweepDir = Path.GetFullPath(parse.GetValue(dir)!);
            var clock = Stopwatch.StartNew();
            var results = SweepCollector.Collect(sweepDir, "whichfeatures " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), DateTime.UtcNow);
            ReproduceCommand.PrintSummary(results, sweepDir, clock.Elapsed, SweepFolder.Load(sweepDir).Plan.IsSmokeRun);
            return CliApp.Ok;
        });
        return cmd;
    }
}
