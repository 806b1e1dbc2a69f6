using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// Probes a finished (or interrupted) run: rebuilds the encoder from config.json and the newest good checkpoint,
/// then fits an offline linear probe for every dataset label and every attribute of a user's CSV.
/// </summary>
public static class RunProber
{
    /// <summary>What <c>probe</c> reports (probe-&lt;labels file stem&gt;.json), with its inputs recorded.</summary>
    /// <param name="Run">The run folder.</param>
    /// <param name="Epoch">The checkpoint's epoch (0 = random initialisation).</param>
    /// <param name="Layer">The probed layer.</param>
    /// <param name="Protocol">The probe protocol.</param>
    /// <param name="Probes">Per label: accuracies, chance, majority, random init.</param>
    /// <param name="KnnClassAccuracy">kNN accuracy of the class label.</param>
    public sealed record ProbeResults(string Run, int Epoch, string Layer, string Protocol, IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy)
    {
        /// <summary>The --labels file as given (null: built-in labels only).</summary>
        public string? LabelsFile { get; init; }
        /// <summary>SHA-256 of the labels file, so a later reader knows which version was probed.</summary>
        public string? LabelsSha256 { get; init; }
        /// <summary>The labels file's index column: position or source_index.</summary>
        public string? IndexColumn { get; init; }
        /// <summary>Labels rows skipped because their source_index was not loaded by the run.</summary>
        public int SkippedRows { get; init; }
        /// <summary>--bins, when numeric attributes were binned.</summary>
        public int? Bins { get; init; }
        /// <summary>The dataset folder used.</summary>
        public string DataDir { get; init; } = "";
        /// <summary>The subclass-collapse verdict against random init (null without a hierarchy or in --random-init mode).</summary>
        public Verdicts.CollapseVerdict? SubclassCollapse { get; init; }
        /// <summary>The suppression verdict of each probed dataset label against random init (null in --random-init mode).</summary>
        public IReadOnlyList<Verdicts.SuppressionVerdict>? Suppression { get; init; }
        /// <summary>Whether the class probe beats random initialisation (null without a class label or in --random-init mode).</summary>
        public Verdicts.LearntVerdict? Learnt { get; init; }
        /// <summary>When the probe ran (UTC).</summary>
        public DateTime Time { get; init; }
    }

    /// <summary>The file a probe writes: probe-&lt;labels stem&gt;.json (probe-builtin.json without --labels), "-random-init" appended for --random-init.</summary>
    public static string ResultFileName(string? labelsCsv, bool randomInit) =>
        $"probe-{(labelsCsv is null ? "builtin" : Path.GetFileNameWithoutExtension(labelsCsv))}{(randomInit ? "-random-init" : "")}.json";

    /// <summary>Every probe-*.json of a run folder, oldest first (unreadable ones are skipped).</summary>
    public static IReadOnlyList<ProbeResults> ReadProbeFiles(string runDir)
    {
        var list = new List<ProbeResults>();
        if (!Directory.Exists(runDir)) return list;
        foreach (var f in Directory.GetFiles(runDir, "probe-*.json").Order(StringComparer.Ordinal))
        {
            try { if (JsonSerializer.Deserialize<ProbeResults>(File.ReadAllText(f), RunJson.Options) is { } r) list.Add(r); }
            catch (JsonException) { }
        }
        return list.OrderBy(r => r.Time).ToList();
    }

    /// <summary>Reads the run's config (a clear error when the folder is not a run folder).</summary>
    public static TrainConfig ReadConfig(string runDir)
    {
        var path = Path.Combine(runDir, "config.json");
        if (File.Exists(runDir))
            throw new UserInputException($"--run {runDir}: is a file; pass the run folder (the --out of 'whichfeatures train'{(Path.GetDirectoryName(runDir) is { Length: > 0 } parent ? $", here {parent}" : "")}).");
        if (!Directory.Exists(runDir)) throw new UserInputException($"--run {runDir}: folder not found.");
        if (!File.Exists(path)) throw new UserInputException($"--run {runDir}: no config.json; expected the --out folder of a 'whichfeatures train' run.");
        try
        {
            return (JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), RunJson.Options)
                    ?? throw new UserInputException($"{path}: empty configuration.")).Validate();
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a valid run configuration ({e.Message}).", e);
        }
    }

    /// <summary>Runs the probes and writes probe-&lt;labels stem&gt;.json into the run folder, then re-renders its report.</summary>
    /// <param name="runDir">The run folder (config.json, checkpoints).</param>
    /// <param name="dataDir">Dataset folder override.</param>
    /// <param name="labelsCsv">A user's attribute CSV (see <see cref="UserLabels"/>), or null.</param>
    /// <param name="probe">The probe protocol (default <see cref="LogisticRegressionProbe"/>).</param>
    /// <param name="randomInit">Probe the run's encoder at initialisation instead of its checkpoint: the baseline
    /// every learnt representation should beat.</param>
    /// <param name="bins">Cut numeric user attributes into this many quantile bins (null: refuse them).</param>
    public static ProbeResults Probe(string runDir, string? dataDir = null, string? labelsCsv = null, LogisticRegressionProbe? probe = null, bool randomInit = false, int? bins = null)
    {
        var cfg = ReadConfig(runDir);
        if (dataDir is not null) cfg = cfg with { DataDir = dataDir };
        var device = TorchDevice.Resolve(cfg.Device);
        using var reps = Representations(runDir, dataDir, randomInit);
        var (train, test) = (reps.Train, reps.Test);
        using var scope = NewDisposeScope();
        var trainSet = FeatureExtractor.Labelled(train, reps.TrainFeatures);
        var testSet = FeatureExtractor.Labelled(test, reps.TestFeatures);

        var suite = new ProbeSuite(probe);
        probe = suite.Probe;
        Tensor trainH = trainSet.Features, testH = testSet.Features;                            // [N, p], [M, p]
        var result = suite.Run(trainSet, testSet);
        var user = labelsCsv is null ? null : UserLabels.Load(labelsCsv, train.SourceIndices, test.SourceIndices, bins, testIsTrainingCarve: cfg.ValidationSize > 0);
        var scores = RunBaselines.WithChanceAndMajority(result.Probes, train, test).ToList();
        if (user is not null)
            scores.AddRange(ProbeUserLabels(user, labelsCsv!, trainH, testH, suite));
        RunBaselines.Verdicts? verdicts = null;
        if (!randomInit)
        {
            verdicts = RunBaselines.Compute(cfg, train, test, trainSet, testSet, scores, probe, device, result.KnnClassAccuracy);
            var randomUser = user is null ? [] : RandomInitUserScores(cfg, train, test, user, labelsCsv!, suite, device);
            scores = scores.Select(s => s with
            {
                RandomInit = verdicts.RandomInitProbes.Concat(randomUser).FirstOrDefault(r => r.Label == s.Label)?.TestAccuracy,
            }).ToList();
        }
        double knn = result.KnnClassAccuracy;
        var results = new ProbeResults(runDir, reps.Epoch, reps.Layer, probe.Protocol, scores, knn)
        {
            LabelsFile = labelsCsv, LabelsSha256 = labelsCsv is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(labelsCsv))),
            IndexColumn = user?.IndexColumn, SkippedRows = user?.SkippedRows ?? 0, Bins = user is { Binned.Count: > 0 } ? bins : null, DataDir = cfg.DataDir,
            SubclassCollapse = verdicts?.Collapse, Suppression = verdicts?.Suppression, Learnt = verdicts?.Learnt, Time = DateTime.UtcNow,
        };
        AtomicFile.WriteAllText(Path.Combine(runDir, ResultFileName(labelsCsv, randomInit)), RunJson.Serialize(results));
        RerenderReport(runDir);
        return results;
    }

    /// <summary>Re-renders report.md / report.html / results.json of a finished run with every probe so far (no-op before the run finished).</summary>
    public static bool RerenderReport(string runDir)
    {
        var path = Path.Combine(runDir, "results.json");
        if (!File.Exists(path)) return false;
        TrainResults? r;
        try { r = JsonSerializer.Deserialize<TrainResults>(File.ReadAllText(path), RunJson.Options); }
        catch (JsonException) { return false; }
        if (r is null) return false;
        RunReport.Write(runDir, WithLaterProbes(runDir, r));
        return true;
    }

    /// <summary><paramref name="r"/> with every probe-*.json the run folder holds so far (none: null, so results.json has no empty field).</summary>
    public static TrainResults WithLaterProbes(string runDir, TrainResults r) =>
        r with { LaterProbes = ReadProbeFiles(runDir) is { Count: > 0 } later ? later : null };

    /// <summary>The user attributes probed on the random-init encoder (their baseline).</summary>
    private static List<ProbeScore> RandomInitUserScores(TrainConfig cfg, Data.ImageDataset train, Data.ImageDataset test, UserLabels user, string file, ProbeSuite suite, Device device)
    {
        using var scope = NewDisposeScope();
        var (trainF, testF) = RunBaselines.RandomInitFeatures(cfg, train, test, device);
        return ProbeUserLabels(user, file, trainF.Features, testF.Features, suite).ToList();
    }

    /// <summary>A run's frozen representations of its train and test splits, with the datasets (all owned).</summary>
    /// <param name="Train">The training split as the run loaded it.</param>
    /// <param name="Test">The test split.</param>
    /// <param name="TrainFeatures">[N, p] float32.</param>
    /// <param name="TestFeatures">[M, p] float32.</param>
    /// <param name="Epoch">Checkpoint epoch (0 = random initialisation).</param>
    /// <param name="Layer">Which layer, in words.</param>
    public sealed record RunRepresentations(ImageDataset Train, ImageDataset Test, Tensor TrainFeatures, Tensor TestFeatures, int Epoch, string Layer) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() { Train.Dispose(); Test.Dispose(); TrainFeatures.Dispose(); TestFeatures.Dispose(); }
    }

    /// <summary>
    /// Rebuilds the run's encoder from config.json and its newest good checkpoint (or its seeded initialisation when
    /// <paramref name="randomInit"/>) and computes the representations of both splits.
    /// </summary>
    public static RunRepresentations Representations(string runDir, string? dataDir = null, bool randomInit = false)
    {
        var cfg = ReadConfig(runDir);
        if (dataDir is not null) cfg = cfg with { DataDir = dataDir };
        var device = TorchDevice.Resolve(cfg.Device);
        var (train, test) = TrainData.Load(cfg);
        try
        {
            var (state, input) = TrainingState.Create(cfg, train, device);
            using var _input = input;
            int epoch = 0;
            if (!randomInit)
                epoch = (Checkpoint.LoadLatest(runDir, state, [])
                         ?? throw new UserInputException($"--run {runDir}: no checkpoint found; the run has not completed an epoch.")).Epoch;
            var trainH = FeatureExtractor.Representations(state.model, input, train, device).DetachFromDisposeScope();
            var testH = FeatureExtractor.Representations(state.model, input, test, device).DetachFromDisposeScope();
            return new RunRepresentations(train, test, trainH, testH, epoch, $"encoder output (representation, {state.model.RepresentationSize} dims)");
        }
        catch
        {
            train.Dispose();
            test.Dispose();
            throw;
        }
    }

    /// <summary>One probe per user attribute, on the examples that have a value for it.</summary>
    private static IEnumerable<ProbeScore> ProbeUserLabels(UserLabels user, string file, Tensor trainH, Tensor testH, ProbeSuite suite)
    {
        foreach (var (name, values) in user.Values)
        {
            var tr = values.Where(kv => kv.Key.Split == "train").OrderBy(kv => kv.Key.Index).ToList();
            var te = values.Where(kv => kv.Key.Split == "test").OrderBy(kv => kv.Key.Index).ToList();
            if (tr.Select(kv => kv.Value).Distinct().Count() < 2 || te.Count == 0)
                throw new UserInputException($"--labels {file}: attribute '{name}' needs at least 2 categories among train rows and at least one test row.");
            using var scope = NewDisposeScope();
            string label = "user:" + name;
            var classes = new Dictionary<string, int> { [label] = user.Categories[name].Count };
            FeatureSet Rows(Tensor h, List<KeyValuePair<(string Split, long Index), int>> rows) =>
                new(file, h.index_select(0, tensor(rows.Select(kv => kv.Key.Index).ToArray())),                         // [n, p]
                    new Dictionary<string, Tensor> { [label] = tensor(rows.Select(kv => (long)kv.Value).ToArray()) }, classes); // [n]
            var trainLabels = tensor(tr.Select(kv => (long)kv.Value).ToArray());                 // [n]
            var testLabels = tensor(te.Select(kv => (long)kv.Value).ToArray());                  // [m]
            yield return suite.Run(Rows(trainH, tr), Rows(testH, te), [label]).Probes[0] with
            {
                Chance = LabelBaselines.Chance(trainLabels), Majority = LabelBaselines.Majority(trainLabels, testLabels),
            };
        }
    }
}
