using System.Globalization;
using System.Text;
using WhichFeatures.Training;

namespace WhichFeatures.Reporting;

/// <summary>The files of a finished training run: results.json, probe_curves.png, loss.png and report.md.</summary>
public static class TrainingRunReport
{
    /// <summary>Writes results.json, the probe-curve and loss plots and report.md into <paramref name="runDir"/>.</summary>
    public static void Write(string runDir, TrainResults r)
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

        var md = new StringBuilder();
        md.AppendLine($"# Training run: {r.Config.Loss} on {r.Config.Dataset} ({r.Config.Model}, {r.Epochs} epochs)");
        md.AppendLine();
        md.AppendLine($"Probed layer: {r.Layer}. {r.ProbeProtocol}; scored on the test split at the last epoch.");
        md.AppendLine();
        md.AppendLine("| label | classes | probe train acc | probe test acc | online probe (last epoch) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var p in r.Probes)
            md.AppendLine($"| {p.Label} | {p.Classes} | {p.TrainAccuracy:0.0000} | {p.TestAccuracy:0.0000} | {(r.OnlineFinal.TryGetValue(p.Label, out var o) ? o.ToString("0.0000", CultureInfo.InvariantCulture) : "")} |");
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
