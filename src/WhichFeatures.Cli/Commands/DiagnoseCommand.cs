using System.CommandLine;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Training;
using WhichFeatures.Diagnostics;
using WhichFeatures.Reporting;

namespace WhichFeatures.Cli.Commands;

/// <summary>
/// <c>whichfeatures diagnose</c>: which attributes did an encoder we did not train keep, did its subclasses collapse,
/// what did it suppress? Input: embeddings with an attribute table (docs/diagnose.md).
/// </summary>
public static class DiagnoseCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var embeddings = new Option<string?>("--embeddings") { Description = "Embeddings [N, D]: .npy (float32/float64), .npz (array 'embeddings') or .csv." };
        var labels = new Option<string?>("--labels") { Description = "Attributes, one row per embedding row in the same order: .csv with a header (an 'id' column is skipped), .npz (1-D arrays) or .npy (1-D)." };
        var testEmbeddings = new Option<string?>("--test-embeddings") { Description = "Held-out embeddings; without them, stratified k-fold on --embeddings." };
        var testLabels = new Option<string?>("--test-labels") { Description = "Attributes of --test-embeddings (same columns as --labels)." };
        var classColumn = new Option<string?>("--class-column") { Description = "The class attribute (default: a column named 'class', if any)." };
        var subclassColumn = new Option<string?>("--subclass-column") { Description = "The subclass attribute, nested in the class (default: a column named 'subclass', if any)." };
        var idColumn = new Option<string>("--id-column") { Description = "Label column that is an id, not an attribute.", DefaultValueFactory = _ => "id" };
        var folds = new Option<int>("--folds") { Description = "k of the stratified k-fold used without a test split.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and the plotted subsample.", DefaultValueFactory = _ => 0 };
        var run = new Option<string?>("--run") { Description = "Instead of files: the --out folder of a 'whichfeatures train' run (its last checkpoint, its dataset's labels, its test split)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "With --run: the dataset folder, if it moved since training." };
        var outDir = new Option<string?>("--out") { Description = "Report folder (default: runs/diagnose-<time>)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var cmd = new Command("diagnose", "Which attributes did an encoder keep, did subclasses collapse, what was suppressed? Linear probe, kNN, NC1, RankMe on your embeddings.")
        { embeddings, labels, testEmbeddings, testLabels, classColumn, subclassColumn, idColumn, folds, seed, run, dataDir, outDir, force };
        cmd.SetAction((parse, ct) =>
        {
            var settings = new DiagnosisSettings { Folds = parse.GetValue(folds), Seed = parse.GetValue(seed) }.Validate();
            var outPath = parse.GetValue(outDir) ?? OutputFolder.Default("diagnose");
            bool overwrite = parse.GetValue(force);
            OutputFolder.Check(outPath, overwrite);
            var started = DateTime.UtcNow;
            if (parse.GetValue(run) is { } runDir)
            {
                if (parse.GetValue(embeddings) is not null || parse.GetValue(labels) is not null)
                    throw new UserInputException($"--run {runDir}: give either --run or --embeddings/--labels, not both.");
                using var reps = RunProber.Representations(runDir, parse.GetValue(dataDir));
                using var runTrain = FromDataset($"run:{runDir}", reps.TrainFeatures, reps.Train);
                using var runTest = FromDataset($"run:{runDir}", reps.TestFeatures, reps.Test);
                var (rc, rs) = DiagnoseInputs.Hierarchy(runTrain, parse.GetValue(classColumn), parse.GetValue(subclassColumn), runDir);
                var runSettings = settings with { ClassColumn = rc, SubclassColumn = rs };
                var runConfig = new { Run = runDir, reps.Epoch, reps.Layer, Settings = runSettings };
                return Task.FromResult(Run(runTrain, runTest, runSettings, runConfig, outPath, overwrite, started, ct));
            }
            var emb = parse.GetValue(embeddings) ?? throw new UserInputException("diagnose needs --embeddings FILE with --labels FILE.");
            var lab = parse.GetValue(labels) ?? throw new UserInputException($"--embeddings {emb}: needs --labels FILE (one row of attributes per embedding row).");
            var (train, test) = DiagnoseInputs.FromFiles(emb, lab, parse.GetValue(testEmbeddings), parse.GetValue(testLabels), parse.GetValue(idColumn)!);
            using var _train = train;
            using var _test = test;
            var (cls, sub) = DiagnoseInputs.Hierarchy(train, parse.GetValue(classColumn), parse.GetValue(subclassColumn), lab);
            settings = settings with { ClassColumn = cls, SubclassColumn = sub };
            var config = new { Embeddings = emb, Labels = lab, TestEmbeddings = parse.GetValue(testEmbeddings), TestLabels = parse.GetValue(testLabels), Settings = settings };
            return Task.FromResult(Run(train, test, settings, config, outPath, overwrite, started, ct));
        });
        return cmd;
    }

    /// <summary>A dataset split's labels as attributes, with <paramref name="features"/> [N, p] (copied).</summary>
    public static LabelledEmbeddings FromDataset(string source, TorchSharp.torch.Tensor features, ImageDataset data) =>
        new(source, features.clone(), data.Labels.OrderBy(kv => kv.Key == LabelKeys.Class ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AttributeColumn(kv.Key, kv.Value.data<long>().ToArray(), data.LabelNames[kv.Key])).ToList());

    /// <summary>Runs the diagnosis, then (only when it succeeded) creates the folder and writes the report; prints a summary.</summary>
    public static int Run(LabelledEmbeddings train, LabelledEmbeddings? test, DiagnosisSettings settings, object config, string outPath, bool force, DateTime started, CancellationToken ct)
    {
        var result = ConsoleProgress.Run(progress => EmbeddingDiagnosis.Run(train, test, settings, progress, ct));
        var report = DiagnosisReport.Build(result, train.Attributes, settings, config);
        var dir = OutputFolder.Prepare(outPath, force);
        var provenance = RunProvenance.Capture("whichfeatures " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), started);
        RunWriter.Write(dir, "diagnose", [report], config, provenance);
        Console.WriteLine($"{result.Source}: {result.Rows} x {result.Dimensions}, {result.Evaluation}");
        foreach (var a in result.Attributes)
            Console.WriteLine($"  {a.Name,-20} probe {a.ProbeTest.Mean:0.000}{(a.ProbeTest.PerSeed.Count > 1 ? $" ± {a.ProbeTest.Std:0.000}" : "")}  kNN {a.Knn.Mean:0.000}  chance {a.Chance:0.000}  majority {a.Majority:0.000}  -> {a.Verdict}");
        if (result.Collapse is { } c)
            Console.WriteLine($"  collapse: within-class {c.SubclassColumn ?? "-"} accuracy {c.SubclassAccuracy?.Mean ?? double.NaN:0.000} (chance {c.SubclassChance:0.000}), NC1 {c.Nc1:0.000} -> {(c.Collapsed switch { true => "collapsed", false => "not collapsed", null => "not judged (no subclass column)" })}");
        Console.WriteLine($"  RankMe {result.RankMe:0.0} of at most {Math.Min(result.Rows, result.Dimensions)}");
        Console.WriteLine($"Report: {Path.Combine(dir, "report.html")}");
        return CliApp.Ok;
    }
}
