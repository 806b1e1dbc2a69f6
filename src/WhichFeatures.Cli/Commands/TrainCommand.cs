using System.CommandLine;
using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures train</c>: train an encoder with UCL, SCL or the joint loss and probe what it kept.</summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var options = new TrainOptionSet();
        var cmd = new Command("train", "Train a contrastive encoder (UCL/SCL/joint) and measure which labels its representation keeps.");
        options.AddTo(cmd);
        cmd.SetAction((parse, ct) => Task.FromResult(Train(parse, cmd, options, ct)));
        return cmd;
    }

    /// <summary>Checks --resume / --force / --data-dir, builds the configuration (merged with the resumed run's), prepares and locks the run folder, and runs.</summary>
    private static int Train(ParseResult parse, Command cmd, TrainOptionSet o, CancellationToken ct)
    {
        bool isResume = parse.GetValue(o.Resume);
        if (isResume && parse.GetValue(o.Force))
            throw new UserInputException("--resume and --force: give one or the other; --resume continues the run in --out, --force starts a new run there.");
        if (isResume && parse.GetValue(o.OutDir) is null)
            throw new UserInputException("--resume: give --out DIR, the folder of the run to continue.");
        if (!isResume && parse.GetValue(o.DataDir) is null)
            throw new UserInputException("--data-dir: required; the folder with the dataset files (e.g. data/cifar-10-batches-bin).");
        var cfg = o.Config(parse);
        if (isResume)
        {
            // Options given must match the run's config.json; the others come from it.
            var given = cmd.Options.Where(x => parse.GetResult(x) is { Implicit: false }).Select(x => x.Name).ToHashSet();
            cfg = ResumeConfig.Merge(parse.GetValue(o.OutDir)!, cfg, given);
        }
        cfg = cfg.Validate();
        var requested = parse.GetValue(o.OutDir) ?? OutputFolder.Default("train");
        bool newFolder = !Directory.Exists(requested) || !Directory.EnumerateFileSystemEntries(requested).Any();
        var dir = OutputFolder.Prepare(requested, parse.GetValue(o.Force), isResume);
        using var writer = OutputFolder.Lock(dir);   // one writer per run folder, --resume and --force included
        try
        {
            return Run(cfg, dir, isResume, ct, ResumeCommand(parse, dir));
        }
        catch (UserInputException) when (newFolder && !isResume)
        {
            OutputFolder.RemoveIfUnused(dir);   // a run that failed before it started leaves no empty folder
            throw;
        }
    }

    /// <summary>Loads the data, trains, evaluates, and prints where the results are.</summary>
    /// <param name="cfg">The validated configuration.</param>
    /// <param name="dir">The prepared run folder.</param>
    /// <param name="resume">Continue from the folder's last good checkpoint.</param>
    /// <param name="ct">Cancelled by Ctrl-C: the run finishes its step, checkpoints and returns <see cref="CliApp.Interrupted"/>.</param>
    /// <param name="resumeCommand">The command line to print after an interruption (default: a generic hint).</param>
    public static int Run(TrainConfig cfg, string dir, bool resume, CancellationToken ct, string? resumeCommand = null)
    {
        resumeCommand ??= $"the same options plus --resume --out {Quote(dir)}";
        var clock = Stopwatch.StartNew();
        var faults = FaultInjection.FromEnvironment(dir);
        var (train, test) = TrainData.Load(cfg);
        if (!resume)
            foreach (var stale in new[] { "results.json", "report.md" })   // --force: never leave an earlier run's results beside this run's config
                File.Delete(Path.Combine(dir, stale));
        Console.WriteLine($"train: {train}; test: {test}; run folder: {dir}");
        SamplesCsv.Write(dir, train, test);
        try
        {
            var outcome = ConsoleProgress.Run(progress => new ContrastiveTrainer(cfg, train, test, dir, progress, Console.Out, faults).Run(resume, ct), stopping: ct);
            // Training is complete and checkpointed; a Ctrl-C that came during the last epoch's evaluation stops here.
            ct.ThrowIfCancellationRequested();
            faults.Reached("final-evaluation");
            var results = FinalEvaluation.Write(dir, cfg, outcome, train, test, clock.Elapsed.TotalSeconds);
            foreach (var p in results.Probes)
                Console.WriteLine($"probe {p.Label,-12} test accuracy {p.TestAccuracy:0.0000} (train {p.TrainAccuracy:0.0000}, {p.Classes} classes; random init {p.RandomInit:0.0000}, chance {p.Chance:0.0000}, majority {p.Majority:0.0000})");
            if (results.SubclassCollapse is { } collapse) Console.WriteLine(collapse.Sentence);
            foreach (var v in results.Suppression ?? []) Console.WriteLine("Suppression: " + v.Sentence);
            var verdict = RunReport.FinalLine(results);
            bool learnt = results.Learnt is null or { Outcome: Verdicts.LearntOutcome.Learnt };
            Console.WriteLine(learnt && results.FinalHealth == TrainingHealth.Ok ? verdict : "warning: " + verdict);
            Console.WriteLine($"kNN class accuracy {results.KnnClassAccuracy:0.0000}; {results.WallSeconds:0} s; peak RSS {results.PeakRssMegabytes:0} MB");
            Console.WriteLine($"Results: {Path.Combine(dir, "results.json")}  Report: {Path.Combine(dir, "report.md")}");
            return CliApp.Ok;
        }
        catch (NonFiniteLossException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return CliApp.UserError;
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine($"{e.Message}");
            Console.Error.WriteLine($"To continue exactly where it stopped: {resumeCommand}");
            return CliApp.Interrupted;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"interrupted. Training had finished and is checkpointed in {dir}; to write the final results: {resumeCommand}");
            return CliApp.Interrupted;
        }
        finally
        {
            train.Dispose();
            test.Dispose();
        }
    }

    /// <summary>
    /// The exact command that resumes this run: the user's own arguments without --force/--resume/--out,
    /// plus <c>--out DIR --resume</c>, quoted for a POSIX shell.
    /// </summary>
    public static string ResumeCommand(ParseResult parse, string dir)
    {
        var args = new List<string>();
        var tokens = parse.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i].Value;
            bool next = i + 1 < tokens.Count;
            if (t is "--force" or "--resume")
            {
                if (next && tokens[i + 1].Value is "true" or "false" or "True" or "False") i++;
                continue;
            }
            if (t == "--out") { if (next) i++; continue; }
            if (t.StartsWith("--out=", StringComparison.Ordinal) || t.StartsWith("--force=", StringComparison.Ordinal) || t.StartsWith("--resume=", StringComparison.Ordinal)) continue;
            args.Add(t);
        }
        args.AddRange(["--out", dir, "--resume"]);
        return "whichfeatures " + string.Join(' ', args.Select(Quote));
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
