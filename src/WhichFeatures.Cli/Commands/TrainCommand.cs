using System.CommandLine;
using System.Diagnostics;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures train</c>: train an encoder with UCL, SCL or the joint loss and probe what it kept.</summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var d = new TrainConfig();
        var dataset = new Option<string>("--dataset") { Description = "cifar10, cifar100, mnist, fashion-mnist or digits-on-backgrounds.", DefaultValueFactory = _ => d.Dataset };
        var dataDir = new Option<string>("--data-dir") { Description = "Folder with the dataset files (required, except with --resume: then from the run's config.json)." };
        var superclasses = new Option<bool>("--superclasses") { Description = "Built-in superclasses (cifar10: vehicles/animals; mnist: digits 0-4/5-9): class = superclass, the original labels become 'subclass' (CIFAR-100 always has class = 20 coarse, subclass = 100 fine)." };
        var superclassMap = new Option<string?>("--superclass-map") { Description = "JSON file: superclass name -> list of class ids." };
        var randbits = new Option<int>("--randbits") { Description = "Append k RandBit channels (an easy irrelevant feature) after augmentation.", DefaultValueFactory = _ => d.RandBits };
        var loss = new Option<string>("--loss") { Description = ContrastiveLossKinds.All.Help, DefaultValueFactory = _ => ContrastiveLossKinds.All.NameOf(d.Loss) };
        var beta = new Option<double>("--beta") { Description = "Joint loss weight of SCL, in [0, 1].", DefaultValueFactory = _ => d.Beta };
        var temperature = new Option<double>("--temperature") { Description = "InfoNCE temperature.", DefaultValueFactory = _ => d.Temperature };
        var model = new Option<string>("--model") { Description = ModelFactory.Backbones.Help, DefaultValueFactory = _ => d.Model };
        var embedding = new Option<int?>("--embedding") { Description = "Embedding (encoder output) size p; default: the backbone width." };
        var head = new Option<string>("--head") { Description = "Projection head: " + ProjectionHeadKinds.All.Help, DefaultValueFactory = _ => d.Head };
        var projDim = new Option<int>("--projection-dim") { Description = "Projection head output size.", DefaultValueFactory = _ => d.ProjectionDim };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => d.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Images per batch (two views each).", DefaultValueFactory = _ => d.BatchSize };
        var optimizer = new Option<string>("--optimizer") { Description = OptimizerChoices.All.Help, DefaultValueFactory = _ => d.Optimizer };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (warm-up then cosine).", DefaultValueFactory = _ => d.LearningRate };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => d.Momentum };
        var wd = new Option<double>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => d.WeightDecay };
        var warmup = new Option<int>("--warmup-epochs") { Description = "Warm-up epochs.", DefaultValueFactory = _ => d.WarmupEpochs };
        var augment = new Option<string>("--augment") { Description = "Augmentation preset: " + AugmentationOptions.Presets.Help, DefaultValueFactory = _ => d.Augment };
        var trainSize = new Option<int>("--train-size") { Description = "Training images to use (0 = all; stratified, seeded).", DefaultValueFactory = _ => 0 };
        var testSize = new Option<int>("--test-size") { Description = "Test images to use (0 = all).", DefaultValueFactory = _ => 0 };
        var validationSize = new Option<int>("--validation-size") { Description = "Evaluate on this many training images carved out as a validation split (fixed draw) instead of the test split; for choosing settings.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed for init, shuffling and augmentation.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0 = default).", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => DeviceKinds.DefaultName };
        var evalEvery = new Option<int>("--eval-every") { Description = "Evaluate probes and kNN on the test split every N epochs.", DefaultValueFactory = _ => 1 };
        var offlineProbeEvery = new Option<int>("--offline-probe-every") { Description = "Every N epochs and at the last, fit fresh offline probes on the frozen encoder and projection outputs (metrics.csv offline_test_* columns); 0 = off.", DefaultValueFactory = _ => d.OfflineProbeEvery };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default: runs/train-<time>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last good checkpoint; options left out come from its config.json, options given must match it." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder (starts a new run)." };
        var cmd = new Command("train", "Train a contrastive encoder (UCL/SCL/joint) and measure which labels its representation keeps.")
        {
            dataset, dataDir, superclasses, superclassMap, randbits, loss, beta, temperature, model, embedding, head, projDim,
            epochs, batch, optimizer, lr, momentum, wd, warmup, augment, trainSize, testSize, validationSize, seed, threads, device, evalEvery, offlineProbeEvery, outDir, resume, force,
        };
        cmd.SetAction((parse, ct) =>
        {
            bool isResume = parse.GetValue(resume);
            if (isResume && parse.GetValue(force))
                throw new UserInputException("--resume and --force: give one or the other; --resume continues the run in --out, --force starts a new run there.");
            if (isResume && parse.GetValue(outDir) is null)
                throw new UserInputException("--resume: give --out DIR, the folder of the run to continue.");
            if (!isResume && parse.GetValue(dataDir) is null)
                throw new UserInputException("--data-dir: required; the folder with the dataset files (e.g. data/cifar-10-batches-bin).");
            var cfg = new TrainConfig
            {
                Dataset = parse.GetValue(dataset)!.Trim().ToLowerInvariant(), DataDir = parse.GetValue(dataDir) ?? "",
                Superclasses = parse.GetValue(superclasses), SuperclassMap = parse.GetValue(superclassMap), RandBits = parse.GetValue(randbits),
                Loss = ContrastiveLossKinds.All.Parse(parse.GetValue(loss)),
                Beta = parse.GetValue(beta), Temperature = parse.GetValue(temperature), Model = ModelFactory.Backbones.Find(parse.GetValue(model)).Name,
                Embedding = parse.GetValue(embedding), Head = ProjectionHeadKinds.All.Find(parse.GetValue(head)).Name, ProjectionDim = parse.GetValue(projDim),
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), Optimizer = OptimizerChoices.All.Find(parse.GetValue(optimizer)).Name,
                LearningRate = parse.GetValue(lr), Momentum = parse.GetValue(momentum), WeightDecay = parse.GetValue(wd), WarmupEpochs = parse.GetValue(warmup),
                Augment = AugmentationOptions.Presets.Find(parse.GetValue(augment)).Name, TrainSize = parse.GetValue(trainSize), TestSize = parse.GetValue(testSize), ValidationSize = parse.GetValue(validationSize),
                Seed = parse.GetValue(seed), Threads = parse.GetValue(threads), Device = parse.GetValue(device)!, EvalEvery = parse.GetValue(evalEvery),
                OfflineProbeEvery = parse.GetValue(offlineProbeEvery),
            };
            if (isResume)
            {
                // Options given must match the run's config.json; the others come from it.
                var given = cmd.Options.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToHashSet();
                cfg = ResumeConfig.Merge(parse.GetValue(outDir)!, cfg, given);
            }
            cfg = cfg.Validate();
            var requested = parse.GetValue(outDir) ?? OutputFolder.Default("train");
            bool newFolder = !Directory.Exists(requested) || !Directory.EnumerateFileSystemEntries(requested).Any();
            var dir = OutputFolder.Prepare(requested, parse.GetValue(force), isResume);
            using var writer = OutputFolder.Lock(dir);   // one writer per run folder, --resume and --force included
            try
            {
                return Task.FromResult(Run(cfg, dir, isResume, ct, ResumeCommand(parse, dir)));
            }
            catch (UserInputException) when (newFolder && !isResume)
            {
                OutputFolder.RemoveIfUnused(dir);   // a run that failed before it started leaves no empty folder
                throw;
            }
        });
        return cmd;
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
            var outcome = ConsoleProgress.Run(progress => new ContrastiveTrainer(cfg, train, test, dir, progress, Console.Out, faults).Run(resume, ct));
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
