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
    /// <summary>Per-label offline probe accuracies.</summary>
    public sealed record ProbeScore(string Label, int Classes, double TrainAccuracy, double TestAccuracy);

    /// <summary>The final results of a run (results.json).</summary>
    public sealed record TrainResults(
        TrainConfig Config, int Epochs, string Layer, string ProbeProtocol, string KnnProtocol,
        IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy, IReadOnlyDictionary<string, double> OnlineFinal,
        double WallSeconds, double MeanImagesPerSecond, double PeakRssMegabytes, IReadOnlyList<EpochMetrics> History);

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
        var scores = ProbeAll(trainH, testH, train, test, probe);
        double knnAcc = KnnClassAccuracy(trainH, testH, train, test, knn);
        var last = outcome.History.LastOrDefault();
        var results = new TrainResults(cfg, outcome.History.Count, $"encoder output (representation, {outcome.Model.RepresentationSize} dims, before the projection head)",
            probe.Protocol, knn.Protocol, scores, knnAcc, last?.OnlineTestAccuracy ?? [], wallSeconds,
            outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond), ProcessMemory.PeakRssMegabytes(), outcome.History);
        WriteFiles(runDir, results);
        return results;
    }

    /// <summary>Writes results.json, the probe-curve and loss plots and report.md.</summary>
    public static void WriteFiles(string runDir, TrainResults r)
    {
        var epochs = r.History.Select(h => (double)h.Epoch).ToArray();
        var labels = r.History.SelectMany(h => h.OnlineTestAccuracy.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var curves = labels.Select(l => new PlotSeries($"online probe: {l}", epochs,
            r.History.Select(h => h.OnlineTestAccuracy.TryGetValue(l, out var a) ? a : double.NaN).ToArray())).ToList();
        curves.Add(new PlotSeries("kNN: class", epochs, r.History.Select(h => h.KnnClassAccuracy).ToArray()));
        PlotRenderer.Save(Path.Combine(runDir, "probe_curves.png"), new PlotSpec("probe_curves.png",
            $"Test accuracy per label over training ({r.Config.Loss}, {r.Config.Model})", "epoch", "test accuracy", curves, YMin: 0, YMax: 1));
        PlotRenderer.Save(Path.Combine(runDir, "loss.png"), new PlotSpec("loss.png", "Contrastive loss", "epoch", "mean training loss",
            [new PlotSeries("loss", epochs, r.History.Select(h => h.Loss).ToArray())]));

        var md = new System.Text.StringBuilder();
        md.AppendLine($"# Training run: {r.Config.Loss} on {r.Config.Dataset} ({r.Config.Model}, {r.Epochs} epochs)");
        md.AppendLine();
        md.AppendLine($"Probed layer: {r.Layer}. {r.ProbeProtocol}; scored on the test split at the last epoch.");
        md.AppendLine();
        md.AppendLine("| label | classes | probe train acc | probe test acc | online probe (last epoch) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var p in r.Probes)
            md.AppendLine($"| {p.Label} | {p.Classes} | {p.TrainAccuracy:0.0000} | {p.TestAccuracy:0.0000} | {(r.OnlineFinal.TryGetValue(p.Label, out var o) ? o.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "")} |");
        md.AppendLine();
        md.AppendLine($"kNN class accuracy: {r.KnnClassAccuracy:0.0000} ({r.KnnProtocol}).");
        md.AppendLine($"Wall time {r.WallSeconds:0} s, {r.MeanImagesPerSecond:0} training images/s, peak RSS {r.PeakRssMegabytes:0} MB.");
        md.AppendLine();
        md.AppendLine("![probe curves](probe_curves.png)");
        md.AppendLine();
        md.AppendLine("![loss](loss.png)");
        AtomicFile.WriteAllText(Path.Combine(runDir, "report.md"), md.ToString());
        AtomicFile.WriteAllText(Path.Combine(runDir, "results.json"), RunJson.Serialize(r));
    }
}
