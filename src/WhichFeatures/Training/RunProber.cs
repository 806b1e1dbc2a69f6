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
    /// <summary>What <c>probe</c> reports (probe_results.json).</summary>
    public sealed record ProbeResults(string Run, int Epoch, string Layer, string Protocol, IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy);

    /// <summary>Reads the run's config (a clear error when the folder is not a run folder).</summary>
    public static TrainConfig ReadConfig(string runDir)
    {
        var path = Path.Combine(runDir, "config.json");
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

    /// <summary>Runs the probes and writes probe_results.json into the run folder.</summary>
    /// <param name="runDir">The run folder (config.json, checkpoints).</param>
    /// <param name="dataDir">Dataset folder override.</param>
    /// <param name="labelsCsv">A user's attribute CSV (see <see cref="UserLabels"/>), or null.</param>
    /// <param name="probe">The probe protocol (default <see cref="LogisticRegressionProbe"/>).</param>
    /// <param name="randomInit">Probe the run's encoder at initialisation instead of its checkpoint: the baseline
    /// every learnt representation should beat.</param>
    public static ProbeResults Probe(string runDir, string? dataDir = null, string? labelsCsv = null, LogisticRegressionProbe? probe = null, bool randomInit = false)
    {
        using var reps = Representations(runDir, dataDir, randomInit);
        var (train, test, trainH, testH) = (reps.Train, reps.Test, reps.TrainFeatures, reps.TestFeatures);
        using var scope = NewDisposeScope();
        var trainSet = FeatureExtractor.Labelled(train, trainH);
        var testSet = FeatureExtractor.Labelled(test, testH);

        var suite = new ProbeSuite(probe);
        var result = suite.Run(trainSet, testSet);
        var scores = result.Probes.ToList();
        if (labelsCsv is not null)
            scores.AddRange(ProbeUserLabels(UserLabels.Load(labelsCsv, train.Count, test.Count), labelsCsv, trainSet.Features, testSet.Features, suite));
        double knn = result.KnnClassAccuracy;
        var results = new ProbeResults(runDir, reps.Epoch, reps.Layer, suite.Probe.Protocol, scores, knn);
        AtomicFile.WriteAllText(Path.Combine(runDir, randomInit ? "probe_results_random_init.json" : "probe_results.json"), RunJson.Serialize(results));
        return results;
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
        var device = TorchDevice.Parse(cfg.Device);
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
            yield return suite.Run(Rows(trainH, tr), Rows(testH, te), [label]).Probes[0];
        }
    }
}
