using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// After training: an offline linear probe per label on the frozen representation (encoder output, before the
/// projection head), trained on the training split and scored on the test split at the LAST epoch, plus kNN
/// on the class label. Writes results.json, metrics plots and report.md into the run folder.
/// </summary>
public static class FinalEvaluation
{
    /// <summary>Per-label offline probe accuracies, with the label's chance and majority accuracy (test split) and the
    /// same probe on the random-init encoder where computed (null fields are left out of the JSON).</summary>
    public sealed record ProbeScore(string Label, int Classes, double TrainAccuracy, double TestAccuracy)
    {
        /// <summary>1 / number of training categories.</summary>
        public double? Chance { get; init; }
        /// <summary>Test accuracy of always predicting the training majority.</summary>
        public double? Majority { get; init; }
        /// <summary>Test accuracy of the same probe on the same architecture at its seeded initialisation.</summary>
        public double? RandomInit { get; init; }
    }

    /// <summary>The final results of a run (results.json).</summary>
    public sealed record TrainResults(
        TrainConfig Config, int Epochs, string Layer, string ProbeProtocol, string KnnProtocol,
        IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy, IReadOnlyDictionary<string, double> OnlineFinal,
        double WallSeconds, double MeanImagesPerSecond, double PeakRssMegabytes, IReadOnlyList<EpochMetrics> History)
    {
        /// <summary>The within-class subclass probe against random init (null without a class/subclass hierarchy).</summary>
        public RunBaselines.SubclassCollapse? SubclassCollapse { get; init; }
        /// <summary>Whether the class probe beats random initialisation (see <see cref="RunBaselines.LearnMargin"/>).</summary>
        public bool Learnt { get; init; } = true;
        /// <summary>The sentence behind <see cref="Learnt"/>.</summary>
        public string LearnLine { get; init; } = "";
        /// <summary>The problems of the last epoch found by <see cref="TrainingHealth"/> ("ok" when none).</summary>
        public string FinalHealth { get; init; } = TrainingHealth.Ok;
        /// <summary>Every later <c>probe --labels</c> of this run (one probe-&lt;stem&gt;.json each), so user attributes appear here too.</summary>
        public IReadOnlyList<RunProber.ProbeResults>? LaterProbes { get; init; }
    }

    /// <summary>Probes every label of <paramref name="train"/>/<paramref name="test"/>.</summary>
    public static IReadOnlyList<ProbeScore> ProbeAll(Tensor trainH, Tensor testH, ImageDataset train, ImageDataset test, LinearProbe probe)
    {
        var scores = new List<ProbeScore>();
        foreach (var key in train.Labels.Keys.Where(test.Labels.ContainsKey).OrderBy(k => k, StringComparer.Ordinal))
        {
            int k = train.NumClasses(key);
            var (tr, te) = probe.FitAndScore(trainH, train.Labels[key], testH, test.Labels[key], k);
            scores.Add(new ProbeScore(key, k, tr, te));
        }
        return scores;
    }

    /// <summary>kNN accuracy of the class label (NaN when the dataset has no class label).</summary>
    public static double KnnClassAccuracy(Tensor trainH, Tensor testH, ImageDataset train, ImageDataset test, KnnClassifier knn) =>
        train.Labels.ContainsKey(LabelKeys.Class)
            ? knn.Accuracy(trainH, train.Labels[LabelKeys.Class], testH, test.Labels[LabelKeys.Class], train.NumClasses())
            : double.NaN;

    /// <summary>Runs the final evaluation of a finished run and writes its files.</summary>
    public static TrainResults Write(string runDir, TrainConfig cfg, TrainOutcome outcome, ImageDataset train, ImageDataset test, double wallSeconds)
    {
        using var scope = NewDisposeScope();
        var trainH = FeatureExtractor.Representations(outcome.Model, outcome.Input, train, outcome.Device);
        var testH = FeatureExtractor.Representations(outcome.Model, outcome.Input, test, outcome.Device);
        var probe = new LinearProbe();
        var knn = new KnnClassifier();
        var scores = RunBaselines.WithChanceAndMajority(ProbeAll(trainH, testH, train, test, probe), train, test);
        double knnAcc = KnnClassAccuracy(trainH, testH, train, test, knn);
        var verdicts = RunBaselines.Compute(cfg, train, test, trainH, testH, scores, probe, outcome.Device);
        scores = scores.Select(s => s with { RandomInit = verdicts.RandomInitProbes.FirstOrDefault(r => r.Label == s.Label)?.TestAccuracy }).ToList();
        var last = outcome.History.LastOrDefault();
        var results = new TrainResults(cfg, outcome.History.Count, $"encoder output (representation, {outcome.Model.RepresentationSize} dims, before the projection head)",
            probe.Protocol, knn.Protocol, scores, knnAcc, last?.OnlineTestAccuracy ?? [], wallSeconds,
            outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond), ProcessMemory.PeakRssMegabytes(), outcome.History)
        {
            SubclassCollapse = verdicts.Collapse, Learnt = verdicts.Learnt, LearnLine = verdicts.LearnLine, FinalHealth = last?.Health ?? TrainingHealth.Ok,
        };
        WriteFiles(runDir, results);
        return results;
    }

    /// <summary>Writes results.json, the probe-curve and loss plots and report.md / report.html (with every probe-*.json so far).</summary>
    public static void WriteFiles(string runDir, TrainResults r)
    {
        var epochs = r.History.Select(h => (double)h.Epoch).ToArray();
        var labels = r.History.SelectMany(h => h.OnlineTestAccuracy.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var curves = labels.Select(l => new PlotSeries($"online probe: {l}", epochs,
            r.History.Select(h => h.OnlineTestAccuracy.TryGetValue(l, out var a) ? a : double.NaN).ToArray())).ToList();
        curves.Add(new PlotSeries("kNN: class", epochs, r.History.Select(h => h.KnnClassAccuracy).ToArray()));
        string lossName = r.Config.Loss.ToString().ToUpperInvariant();
        PlotRenderer.Save(Path.Combine(runDir, "probe_curves.png"), new PlotSpec("probe_curves.png",
            $"Test accuracy per label over training ({lossName}, {r.Config.Model})", "epoch", "test accuracy", curves, YMin: 0, YMax: 1, IntegerX: true));
        var uniform = r.History.Select(h => h.UniformLoss).FirstOrDefault(double.IsFinite, double.NaN);
        PlotRenderer.Save(Path.Combine(runDir, "loss.png"), new PlotSpec("loss.png", $"{lossName} loss (mean over each epoch's steps)", "epoch", "mean training loss",
            [new PlotSeries("loss", epochs, r.History.Select(h => h.Loss).ToArray())],
            ReferenceLines: [new ReferenceLine("all similarities equal: ln(2B - 1)", uniform)], IntegerX: true));
        RunReport.Write(runDir, r with { LaterProbes = RunProber.ReadProbeFiles(runDir) is { Count: > 0 } later ? later : null });
    }
}
