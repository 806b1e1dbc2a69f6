using System.Globalization;
using WhichFeatures.Reporting;

namespace WhichFeatures.Training;

/// <summary>metrics.csv: one row per epoch, rewritten atomically after every epoch so it is never half-written.</summary>
public static class MetricsCsv
{
    /// <summary>
    /// Writes the whole history: per label an <c>online_test_&lt;label&gt;</c> column and, with
    /// <paramref name="offlineProbes"/>, per layer and label an <c>offline_test_&lt;layer&gt;_&lt;label&gt;</c> column
    /// (<see cref="OfflineProbeCurve"/>; NaN in epochs without the offline probes).
    /// </summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history, IReadOnlyList<string> labels, bool offlineProbes = false)
    {
        var offline = offlineProbes ? OfflineProbeCurve.Layers.SelectMany(layer => labels.Select(l => (Column: $"offline_test_{layer}_{l}", Key: OfflineProbeCurve.Key(layer, l)))).ToList() : [];
        var cols = new List<string> { "epoch", "step", "loss", "lr_last_step", "seconds", "images_per_s", "rss_mb", "knn_class", "health" };
        cols.AddRange(labels.Select(l => "online_test_" + l));
        cols.AddRange(offline.Select(o => o.Column));
        var t = new DataTable(Path.GetFileNameWithoutExtension(path), [.. cols]);
        foreach (var m in history)
        {
            var row = new List<object> { m.Epoch, m.Step, m.Loss, m.LearningRate, m.Seconds, m.ImagesPerSecond, m.RssMegabytes, m.KnnClassAccuracy, m.Health };
            row.AddRange(labels.Select(l => (object)(m.OnlineTestAccuracy.TryGetValue(l, out var a) ? a : double.NaN)));
            row.AddRange(offline.Select(o => (object)(m.OfflineTestAccuracy.TryGetValue(o.Key, out var a) ? a : double.NaN)));
            t.Add([.. row]);
        }
        CsvWriter.Write(path, t);
    }

    /// <summary>One human line for the log.</summary>
    public static string Describe(EpochMetrics m)
    {
        var probes = string.Join(" ", m.OnlineTestAccuracy.Select(kv => $"{kv.Key} {kv.Value:0.000}"));
        var offline = string.Join(" ", m.OfflineTestAccuracy.Select(kv => $"{kv.Key} {kv.Value:0.000}"));
        return (
            $"epoch {m.Epoch}: loss {m.Loss:0.0000} (mean over the epoch), lr {m.LearningRate:0.#####} (last step), {m.ImagesPerSecond:0} img/s, {m.RssMegabytes:0} MB" +
            (double.IsNaN(m.KnnClassAccuracy) ? "" : $", kNN class {m.KnnClassAccuracy:0.000}") + (probes.Length > 0 ? $", online probes: {probes}" : "") + (offline.Length > 0 ? $", offline probes: {offline}" : "") + (m.Health == TrainingHealth.Ok ? "" : $", HEALTH: {m.Health}"));
    }
}
