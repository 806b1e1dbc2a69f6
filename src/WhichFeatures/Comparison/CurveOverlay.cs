using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Comparison;

/// <summary>
/// The per-epoch curves of several training runs on shared axes, one line per run: the mean training loss, the
/// online probe of each label, the offline probe of each layer and label (at the epochs it ran,
/// <c>--offline-probe-every</c>) and kNN on the class. Read from each run's metrics.csv.
/// </summary>
public static class CurveOverlay
{
    /// <summary>The plots for <paramref name="runs"/> and <paramref name="labels"/>; a quantity no run measured gets no plot.</summary>
    public static IReadOnlyList<PlotSpec> Plots(IReadOnlyList<ComparedInput> runs, IReadOnlyList<string> labels)
    {
        if (runs.Count == 0) return [];
        var plots = new List<PlotSpec>();
        Add(plots, "curves_loss.png", "Training loss (mean over each epoch's steps)", "mean training loss", runs, h => h.Loss, unitRange: false);
        foreach (var label in labels)
            Add(plots, $"curves_online_{SafeFileName.Of(label)}.png", $"Online probe test accuracy: {label}", "test accuracy", runs,
                h => h.OnlineTestAccuracy.TryGetValue(label, out var a) ? a : double.NaN);
        foreach (var layer in OfflineProbeCurve.Layers)
            foreach (var label in labels)
                Add(plots, $"curves_offline_{layer}_{SafeFileName.Of(label)}.png", $"Offline probe test accuracy ({layer} output): {label}", "test accuracy", runs,
                    h => h.OfflineTestAccuracy.TryGetValue(OfflineProbeCurve.Key(layer, label), out var a) ? a : double.NaN);
        Add(plots, "curves_knn_class.png", "kNN test accuracy: class", "test accuracy", runs, h => h.KnnClassAccuracy);
        return plots;
    }

    // One line per run that measured the quantity at some epoch (epochs where it did not are skipped).
    private static void Add(List<PlotSpec> plots, string file, string title, string yLabel, IReadOnlyList<ComparedInput> runs, Func<EpochMetrics, double> value, bool unitRange = true)
    {
        var series = new List<PlotSeries>();
        foreach (var run in runs)
        {
            var points = run.History.Where(h => double.IsFinite(value(h))).ToList();
            if (points.Count > 0) series.Add(new PlotSeries(run.Name, points.Select(h => (double)h.Epoch).ToArray(), points.Select(value).ToArray()));
        }
        if (series.Count == 0) return;
        plots.Add(new PlotSpec(file, title, "epoch", yLabel, series, YMin: unitRange ? 0 : null, YMax: unitRange ? 1 : null, IntegerX: true));
    }
}
