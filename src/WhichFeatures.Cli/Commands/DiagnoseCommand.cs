using System.CommandLine;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Training;
using WhichFeatures.Diagnosis;
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
        var onnx = new Option<string?>("--onnx") { Description = "Instead of files: an image encoder exported to ONNX (input float32 [B, C, H, W]), run over --dataset." };
        var dataset = new Option<string?>("--dataset") { Description = "With --onnx: cifar10, cifar100, mnist, fashion-mnist or image-folder (one subfolder per class, optional train/ and test/)." };
        var imageSize = new Option<int?>("--image-size") { Description = "With --onnx: resize images to this square size first." };
        var mean = new Option<string>("--mean") { Description = "With --onnx: per-channel mean subtracted from pixel/255, e.g. 0.485,0.456,0.406.", DefaultValueFactory = _ => "0" };
        var std = new Option<string>("--std") { Description = "With --onnx: per-channel std dividing it, e.g. 0.229,0.224,0.225.", DefaultValueFactory = _ => "1" };
        var batchSize = new Option<int>("--batch-size") { Description = "With --onnx: images per ONNX Runtime call.", DefaultValueFactory = _ => 256 };
        var trainSize = new Option<int>("--train-size") { Description = "With --onnx and a named dataset: training images to use (0 = all; stratified, seeded).", DefaultValueFactory = _ => 0 };
        var testSize = new Option<int>("--test-size") { Description = "With --onnx and a named dataset: test images to use (0 = all).", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "With --onnx: auto (CUDA provider when installed), cpu or cuda.", DefaultValueFactory = _ => DeviceKinds.DefaultName };
        var outDir = new Option<string?>("--out") { Description = "Report folder (default: runs/diagnose-<time>)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var baseline = new Option<string?>("--baseline-embeddings") { Description = "The reference for the verdicts: embeddings of the same rows by another encoder (e.g. yours at initialisation), same formats as --embeddings. Without a reference, verdicts compare with chance." };
        var baselineTest = new Option<string?>("--baseline-test-embeddings") { Description = "The reference's embeddings of the --test-embeddings rows." };
        var baselineOnnx = new Option<string?>("--baseline-onnx") { Description = "With --onnx: the reference encoder (e.g. the same model untrained), run over the same images." };
        var control = new Option<string[]>("--control") { Description = "An attribute that is a control (e.g. a random column): shown, never counted as suppressed. Repeatable.", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [] };
        var bins = new Option<int?>("--bins") { Description = "Cut numeric attributes (more than 20 distinct values) into this many quantile bins of their training values; without it they are refused." };
        var mapRows = new Option<int>("--map-rows") { Description = "Rows drawn in the t-SNE map (a seeded subsample of the embeddings); 0 draws no map.", DefaultValueFactory = _ => Maps.SubsampledMap.DefaultRows };
        var perplexity = new Option<double>("--perplexity") { Description = "Perplexity of the t-SNE map (scikit-learn's default).", DefaultValueFactory = _ => 30 };
        var tsneIterations = new Option<int>("--tsne-iterations") { Description = "Iterations of the t-SNE map (scikit-learn's default).", DefaultValueFactory = _ => 1000 };
        var cmd = new Command("diagnose", "Which attributes did an encoder keep, did subclasses collapse, what was suppressed? Linear probe, kNN, NC1, RankMe on your embeddings.")
        {
            embeddings, labels, testEmbeddings, testLabels, classColumn, subclassColumn, idColumn, folds, seed, run,
            onnx, dataset, dataDir, imageSize, mean, std, batchSize, trainSize, testSize, device, outDir, force, bins,
            baseline, baselineTest, baselineOnnx, control, mapRows, perplexity, tsneIterations,
        };
        cmd.SetAction((parse, ct) =>
        {
            var settings = new DiagnosisSettings { Folds = parse.GetValue(folds), Seed = parse.GetValue(seed), ControlColumns = parse.GetValue(control) ?? [],
                MapRows = parse.GetValue(mapRows), MapPerplexity = parse.GetValue(perplexity), MapIterations = parse.GetValue(tsneIterations) }.Validate();
            if (parse.GetValue(baselineOnnx) is { } bo && parse.GetValue(onnx) is null)
                throw new UserInputException($"--baseline-onnx {bo}: needs --onnx (the encoder it is the reference for).");
            if ((parse.GetValue(baseline) ?? parse.GetValue(baselineTest)) is { } be && parse.GetValue(embeddings) is null)
                throw new UserInputException($"--baseline-embeddings {be}: needs --embeddings (with --run the reference is the run's random initialisation; with --onnx use --baseline-onnx).");
            var outPath = parse.GetValue(outDir) ?? OutputFolder.Default("diagnose");
            bool overwrite = parse.GetValue(force);
            OutputFolder.Check(outPath, overwrite);
            var started = DateTime.UtcNow;
            if (parse.GetValue(run) is { } runDir)
            {
                if (parse.GetValue(embeddings) is not null || parse.GetValue(labels) is not null)
                    throw new UserInputException($"--run {runDir}: give either --run or --embeddings/--labels, not both.");
                using var reps = RunProber.Representations(runDir, parse.GetValue(dataDir));
                using var init = RunProber.Representations(runDir, parse.GetValue(dataDir), randomInit: true);
                using var runTrain = FromDataset($"run:{runDir}", reps.TrainFeatures, reps.Train);
                using var runTest = FromDataset($"run:{runDir}", reps.TestFeatures, reps.Test);
                var (rc, rs) = DiagnoseInputs.Hierarchy(runTrain, parse.GetValue(classColumn), parse.GetValue(subclassColumn), runDir);
                var runSettings = settings with { ClassColumn = rc, SubclassColumn = rs };
                var runConfig = new { Run = runDir, reps.Epoch, reps.Layer, Reference = "random initialisation", Settings = runSettings };
                var runReference = new DiagnosisReference(Verdicts.ReferenceKind.RandomInit, $"run:{runDir} at its seeded initialisation", init.TrainFeatures, init.TestFeatures);
                return Task.FromResult(Run(runTrain, runTest, runSettings, runReference, runConfig, outPath, overwrite, started, ct));
            }
            if (parse.GetValue(onnx) is { } onnxPath)
            {
                if (parse.GetValue(embeddings) is not null || parse.GetValue(labels) is not null)
                    throw new UserInputException($"--onnx {onnxPath}: give either --onnx or --embeddings/--labels, not both.");
                var name = parse.GetValue(dataset) ?? throw new UserInputException($"--onnx {onnxPath}: needs --dataset (cifar10, cifar100, mnist, fashion-mnist or image-folder) and --data-dir.");
                var dir = parse.GetValue(dataDir) ?? throw new UserInputException($"--onnx {onnxPath}: needs --data-dir, the folder of --dataset {name}.");
                var size = parse.GetValue(imageSize);
                if (size is < 1) throw new UserInputException($"--image-size must be >= 1, got {size}.");
                var means = Numbers(parse.GetValue(mean)!, "--mean");
                var stds = Numbers(parse.GetValue(std)!, "--std");
                int batch = parse.GetValue(batchSize);
                if (batch < 1) throw new UserInputException($"--batch-size must be >= 1, got {batch}.");
                using var encoder = new OnnxEncoder(onnxPath, DeviceKinds.All.Parse(parse.GetValue(device)));
                bool folder = name.Trim().Equals("image-folder", StringComparison.OrdinalIgnoreCase);
                var (dsTrain, dsTest) = folder
                    ? ImageFolder.Load(dir, size)
                    : DatasetRegistry.Load(name, dir, new DatasetLoadOptions { TrainSize = NullIfZero(parse.GetValue(trainSize)), TestSize = NullIfZero(parse.GetValue(testSize)) });
                using var _dsTrain = dsTrain;
                using var _dsTest = dsTest;
                int? resize = folder ? null : size;
                foreach (var ds in new[] { dsTrain, dsTest }.Where(d => d is not null))
                    encoder.CheckFits(ds!.Channels, resize ?? ds.Height, resize ?? ds.Width, $"{name} ({ds.Name})");
                var (fTrain, fTest) = Embed(encoder, dsTrain, dsTest, means, stds, batch, resize, ct);
                using var _fTrain = fTrain;
                using var _fTest = fTest;
                DiagnosisReference? onnxReference = null;
                TorchSharp.torch.Tensor? bTrain = null, bTest = null;
                if (parse.GetValue(baselineOnnx) is { } baselinePath)
                {
                    using var baselineEncoder = new OnnxEncoder(baselinePath, DeviceKinds.All.Parse(parse.GetValue(device)), "--baseline-onnx");
                    (bTrain, bTest) = Embed(baselineEncoder, dsTrain, dsTest, means, stds, batch, resize, ct);
                    onnxReference = new DiagnosisReference(Verdicts.ReferenceKind.Baseline, $"onnx:{Path.GetFileName(baselinePath)}", bTrain, bTest);
                }
                using var _bTrain = bTrain;
                using var _bTest = bTest;
                using var oTrain = FromDataset($"onnx:{Path.GetFileName(onnxPath)}", fTrain, dsTrain);
                using var oTest = dsTest is null ? null : FromDataset($"onnx:{Path.GetFileName(onnxPath)}", fTest!, dsTest);
                var (oc, os) = DiagnoseInputs.Hierarchy(oTrain, parse.GetValue(classColumn), parse.GetValue(subclassColumn), $"--dataset {name}");
                var onnxSettings = settings with { ClassColumn = oc, SubclassColumn = os };
                var onnxConfig = new { Onnx = onnxPath, BaselineOnnx = parse.GetValue(baselineOnnx), Dataset = name, DataDir = dir, ImageSize = size, Mean = means, Std = stds, BatchSize = batch, encoder.Device, Settings = onnxSettings };
                return Task.FromResult(Run(oTrain, oTest, onnxSettings, onnxReference, onnxConfig, outPath, overwrite, started, ct));
            }
            var emb = parse.GetValue(embeddings) ?? throw new UserInputException("diagnose needs --embeddings FILE with --labels FILE.");
            var lab = parse.GetValue(labels) ?? throw new UserInputException($"--embeddings {emb}: needs --labels FILE (one row of attributes per embedding row).");
            var (train, test) = DiagnoseInputs.FromFiles(emb, lab, parse.GetValue(testEmbeddings), parse.GetValue(testLabels), parse.GetValue(idColumn)!, parse.GetValue(bins));
            using var _train = train;
            using var _test = test;
            var (cls, sub) = DiagnoseInputs.Hierarchy(train, parse.GetValue(classColumn), parse.GetValue(subclassColumn), lab);
            settings = settings with { ClassColumn = cls, SubclassColumn = sub };
            using var reference = BaselineFiles(parse.GetValue(baseline), parse.GetValue(baselineTest), test is not null);
            var config = new { Embeddings = emb, Labels = lab, TestEmbeddings = parse.GetValue(testEmbeddings), TestLabels = parse.GetValue(testLabels),
                BaselineEmbeddings = parse.GetValue(baseline), BaselineTestEmbeddings = parse.GetValue(baselineTest), Settings = settings };
            return Task.FromResult(Run(train, test, settings, reference?.Reference, config, outPath, overwrite, started, ct));
        });
        return cmd;
    }

    private static int? NullIfZero(int v) => v == 0 ? null : v;

    private static (TorchSharp.torch.Tensor Train, TorchSharp.torch.Tensor? Test) Embed(OnnxEncoder encoder, ImageDataset train, ImageDataset? test,
        double[] means, double[] stds, int batch, int? resize, CancellationToken ct) => ConsoleProgress.Run(progress =>
    {
        using var task = progress.Start($"onnx encoder {Path.GetFileName(encoder.ModelPath)} ({encoder.Device})", train.Count + (test?.Count ?? 0));
        var a = encoder.Embed(train, means, stds, batch, resize, task, ct);
        var b = test is null ? null : encoder.Embed(test, means, stds, batch, resize, task, ct);
        return (a, b);
    });

    // The --baseline-embeddings pair as a reference, owning its tensors.
    private sealed record BaselineTensors(DiagnosisReference Reference) : IDisposable
    {
        public void Dispose() { Reference.Train.Dispose(); Reference.Test?.Dispose(); }
    }

    private static BaselineTensors? BaselineFiles(string? train, string? test, bool hasTest)
    {
        if (train is null && test is null) return null;
        if (train is null) throw new UserInputException($"--baseline-test-embeddings {test}: needs --baseline-embeddings.");
        if (hasTest && test is null) throw new UserInputException($"--baseline-embeddings {train}: with --test-embeddings, also give --baseline-test-embeddings (the reference's embeddings of the test rows).");
        if (!hasTest && test is not null) throw new UserInputException($"--baseline-test-embeddings {test}: needs --test-embeddings.");
        var x = EmbeddingFiles.ReadEmbeddings(train, "--baseline-embeddings");
        var t = test is null ? null : EmbeddingFiles.ReadEmbeddings(test, "--baseline-test-embeddings");
        return new BaselineTensors(new DiagnosisReference(Verdicts.ReferenceKind.Baseline, train, x, t));
    }

    private static double[] Numbers(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new UserInputException($"{option} {text}: '{parts[i]}' is not a number; expected a comma-separated list such as 0.5,0.5,0.5.");
        if (values.Length == 0) throw new UserInputException($"{option}: expected at least one number.");
        return values;
    }

    /// <summary>A dataset split's labels as attributes, with <paramref name="features"/> [N, p] (copied).</summary>
    public static LabelledEmbeddings FromDataset(string source, TorchSharp.torch.Tensor features, ImageDataset data) =>
        new(source, features.clone(), data.Labels.OrderBy(kv => kv.Key == LabelKeys.Class ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new AttributeColumn(kv.Key, kv.Value.data<long>().ToArray(), data.LabelNames[kv.Key])).ToList());

    /// <summary>Runs the diagnosis, then (only when it succeeded) creates the folder and writes the report; prints every verdict the report has.</summary>
    public static int Run(LabelledEmbeddings train, LabelledEmbeddings? test, DiagnosisSettings settings, DiagnosisReference? reference, object config, string outPath, bool force, DateTime started, CancellationToken ct)
    {
        var result = ConsoleProgress.Run(progress => EmbeddingDiagnosis.Run(train, test, settings, reference, progress, ct));
        var report = DiagnosisReport.Build(result, train.Attributes, settings, config);
        var dir = OutputFolder.Prepare(outPath, force);
        using var writer = OutputFolder.Lock(dir);
        var provenance = RunProvenance.Capture("whichfeatures " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), started);
        RunWriter.Write(dir, "diagnose", [report], config, provenance);
        foreach (var line in DiagnosisSummary.Lines(result)) Console.WriteLine(line);
        Console.WriteLine($"Report: {Path.Combine(dir, "report.html")}");
        return CliApp.Ok;
    }
}
