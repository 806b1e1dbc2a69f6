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
        var options = new DiagnoseOptionSet();
        var cmd = new Command("diagnose", "Which attributes did an encoder keep, did subclasses collapse, what was suppressed? Linear probe, kNN, NC1, RankMe on your embeddings.");
        options.AddTo(cmd);
        cmd.SetAction((parse, ct) => Task.FromResult(Diagnose(parse, options, ct)));
        return cmd;
    }

    /// <summary>Checks the options shared by every input, then diagnoses a training run, an ONNX encoder or embedding files.</summary>
    private static int Diagnose(ParseResult parse, DiagnoseOptionSet o, CancellationToken ct)
    {
        var settings = new DiagnosisSettings { Folds = parse.GetValue(o.Folds), Seed = parse.GetValue(o.Seed), ControlColumns = parse.GetValue(o.Control) ?? [],
            MapRows = parse.GetValue(o.MapRows), MapPerplexity = parse.GetValue(o.Perplexity), MapIterations = parse.GetValue(o.TsneIterations) }.Validate();
        if (parse.GetValue(o.BaselineOnnx) is { } bo && parse.GetValue(o.Onnx) is null)
            throw new UserInputException($"--baseline-onnx {bo}: needs --onnx (the encoder it is the reference for).");
        if ((parse.GetValue(o.Baseline) ?? parse.GetValue(o.BaselineTest)) is { } be && parse.GetValue(o.Embeddings) is null)
            throw new UserInputException($"--baseline-embeddings {be}: needs --embeddings (with --run the reference is the run's random initialisation; with --onnx use --baseline-onnx).");
        var outPath = parse.GetValue(o.OutDir) ?? OutputFolder.Default("diagnose");
        bool overwrite = parse.GetValue(o.Force);
        OutputFolder.Check(outPath, overwrite);
        var output = new ReportFolder(outPath, overwrite, DateTime.UtcNow);
        if (parse.GetValue(o.Run) is { } runDir) return FromRun(parse, o, runDir, settings, output, ct);
        if (parse.GetValue(o.Onnx) is { } onnxPath) return FromOnnx(parse, o, onnxPath, settings, output, ct);
        return FromFiles(parse, o, settings, output, ct);
    }

    /// <summary>Where the report goes, whether it may overwrite, and when the diagnosis started.</summary>
    private sealed record ReportFolder(string Path, bool Force, DateTime Started);

    // A training run's last checkpoint against the same encoder at its seeded initialisation.
    private static int FromRun(ParseResult parse, DiagnoseOptionSet o, string runDir, DiagnosisSettings settings, ReportFolder output, CancellationToken ct)
    {
        if (parse.GetValue(o.Embeddings) is not null || parse.GetValue(o.Labels) is not null)
            throw new UserInputException($"--run {runDir}: give either --run or --embeddings/--labels, not both.");
        using var reps = RunProber.Representations(runDir, parse.GetValue(o.DataDir));
        using var init = RunProber.Representations(runDir, parse.GetValue(o.DataDir), randomInit: true);
        using var runTrain = FromDataset($"run:{runDir}", reps.TrainFeatures, reps.Train);
        using var runTest = FromDataset($"run:{runDir}", reps.TestFeatures, reps.Test);
        var (rc, rs) = DiagnoseInputs.Hierarchy(runTrain, parse.GetValue(o.ClassColumn), parse.GetValue(o.SubclassColumn), runDir);
        var runSettings = settings with { ClassColumn = rc, SubclassColumn = rs };
        var runConfig = new { Run = runDir, reps.Epoch, reps.Layer, Reference = "random initialisation", Settings = runSettings };
        var runReference = new DiagnosisReference(Verdicts.ReferenceKind.RandomInit, $"run:{runDir} at its seeded initialisation", init.TrainFeatures, init.TestFeatures);
        return Run(runTrain, runTest, runSettings, runReference, runConfig, output.Path, output.Force, output.Started, ct);
    }

    // An ONNX image encoder run over a dataset, against --baseline-onnx when given (else chance).
    private static int FromOnnx(ParseResult parse, DiagnoseOptionSet o, string onnxPath, DiagnosisSettings settings, ReportFolder output, CancellationToken ct)
    {
        if (parse.GetValue(o.Embeddings) is not null || parse.GetValue(o.Labels) is not null)
            throw new UserInputException($"--onnx {onnxPath}: give either --onnx or --embeddings/--labels, not both.");
        var name = parse.GetValue(o.Dataset) ?? throw new UserInputException($"--onnx {onnxPath}: needs --dataset (cifar10, cifar100, mnist, fashion-mnist or image-folder) and --data-dir.");
        var dir = parse.GetValue(o.DataDir) ?? throw new UserInputException($"--onnx {onnxPath}: needs --data-dir, the folder of --dataset {name}.");
        var size = parse.GetValue(o.ImageSize);
        if (size is < 1) throw new UserInputException($"--image-size must be >= 1, got {size}.");
        var means = Numbers(parse.GetValue(o.Mean)!, "--mean");
        var stds = Numbers(parse.GetValue(o.Std)!, "--std");
        int batch = parse.GetValue(o.BatchSize);
        if (batch < 1) throw new UserInputException($"--batch-size must be >= 1, got {batch}.");
        using var encoder = new OnnxEncoder(onnxPath, DeviceKinds.All.Parse(parse.GetValue(o.Device)));
        bool folder = name.Trim().Equals("image-folder", StringComparison.OrdinalIgnoreCase);
        var (dsTrain, dsTest) = folder
            ? ImageFolder.Load(dir, size)
            : DatasetRegistry.Load(name, dir, new DatasetLoadOptions { TrainSize = NullIfZero(parse.GetValue(o.TrainSize)), TestSize = NullIfZero(parse.GetValue(o.TestSize)) });
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
        if (parse.GetValue(o.BaselineOnnx) is { } baselinePath)
        {
            using var baselineEncoder = new OnnxEncoder(baselinePath, DeviceKinds.All.Parse(parse.GetValue(o.Device)), "--baseline-onnx");
            (bTrain, bTest) = Embed(baselineEncoder, dsTrain, dsTest, means, stds, batch, resize, ct);
            onnxReference = new DiagnosisReference(Verdicts.ReferenceKind.Baseline, $"onnx:{Path.GetFileName(baselinePath)}", bTrain, bTest);
        }
        using var _bTrain = bTrain;
        using var _bTest = bTest;
        using var oTrain = FromDataset($"onnx:{Path.GetFileName(onnxPath)}", fTrain, dsTrain);
        using var oTest = dsTest is null ? null : FromDataset($"onnx:{Path.GetFileName(onnxPath)}", fTest!, dsTest);
        var (oc, os) = DiagnoseInputs.Hierarchy(oTrain, parse.GetValue(o.ClassColumn), parse.GetValue(o.SubclassColumn), $"--dataset {name}");
        var onnxSettings = settings with { ClassColumn = oc, SubclassColumn = os };
        var onnxConfig = new { Onnx = onnxPath, BaselineOnnx = parse.GetValue(o.BaselineOnnx), Dataset = name, DataDir = dir, ImageSize = size, Mean = means, Std = stds, BatchSize = batch, encoder.Device, Settings = onnxSettings };
        return Run(oTrain, oTest, onnxSettings, onnxReference, onnxConfig, output.Path, output.Force, output.Started, ct);
    }

    // Embedding and label files, against --baseline-embeddings when given (else chance).
    private static int FromFiles(ParseResult parse, DiagnoseOptionSet o, DiagnosisSettings settings, ReportFolder output, CancellationToken ct)
    {
        var emb = parse.GetValue(o.Embeddings) ?? throw new UserInputException("diagnose needs --embeddings FILE with --labels FILE.");
        var lab = parse.GetValue(o.Labels) ?? throw new UserInputException($"--embeddings {emb}: needs --labels FILE (one row of attributes per embedding row).");
        var (train, test) = DiagnoseInputs.FromFiles(emb, lab, parse.GetValue(o.TestEmbeddings), parse.GetValue(o.TestLabels), parse.GetValue(o.IdColumn)!, parse.GetValue(o.Bins));
        using var _train = train;
        using var _test = test;
        var (cls, sub) = DiagnoseInputs.Hierarchy(train, parse.GetValue(o.ClassColumn), parse.GetValue(o.SubclassColumn), lab);
        settings = settings with { ClassColumn = cls, SubclassColumn = sub };
        using var reference = BaselineFiles(parse.GetValue(o.Baseline), parse.GetValue(o.BaselineTest), test is not null);
        var config = new { Embeddings = emb, Labels = lab, TestEmbeddings = parse.GetValue(o.TestEmbeddings), TestLabels = parse.GetValue(o.TestLabels),
            BaselineEmbeddings = parse.GetValue(o.Baseline), BaselineTestEmbeddings = parse.GetValue(o.BaselineTest), Settings = settings };
        return Run(train, test, settings, reference?.Reference, config, output.Path, output.Force, output.Started, ct);
    }

    private static int? NullIfZero(int v) => v == 0 ? null : v;

    private static (TorchSharp.torch.Tensor Train, TorchSharp.torch.Tensor? Test) Embed(OnnxEncoder encoder, ImageDataset train, ImageDataset? test,
        double[] means, double[] stds, int batch, int? resize, CancellationToken ct) => ConsoleProgress.Run(progress =>
    {
        using var task = progress.Start($"onnx encoder {Path.GetFileName(encoder.ModelPath)} ({encoder.Device})", train.Count + (test?.Count ?? 0));
        var a = encoder.Embed(train, means, stds, batch, resize, task, ct);
        var b = test is null ? null : encoder.Embed(test, means, stds, batch, resize, task, ct);
        return (a, b);
    }, stopping: ct);

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
        var result = ConsoleProgress.Run(progress => EmbeddingDiagnosis.Run(train, test, settings, reference, progress, ct), stopping: ct);
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
