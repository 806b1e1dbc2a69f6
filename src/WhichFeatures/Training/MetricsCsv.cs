using System.Globalization;
using WhichFeatures.Reporting;

namespace WhichFeatures.Training;

/// <summary>metrics.csv: one row per epoch, rewritten atomically after every epoch so it is never half-written.</summary>
public static class MetricsCsv
{
    /// <summary>Writes the whole history.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history, IReadOnlyList<string> labels)
    {
        var cols = new List<string> { "epoch", "step", "loss", "lr_last_step", "seconds", "images_per_s", "rss_mb", "knn_class", "health" };
        cols.AddRange(labels.Select(l => "online_test_" + l));
        var t = new DataTable(Path.GetFileNameWithoutExtension(path), [.. cols]);
        foreach (var m in history)
        {
            var row = new List<object> { m.Epoch, m.Step, m.Loss, m.LearningRate, m.Seconds, m.ImagesPerSecond, m.RssMegabytes, m.KnnClassAccuracy, m.Health };
            row.AddRange(labels.Select(l => (object)(m.OnlineTestAccuracy.TryGetValue(l, out var a) ? a : double.NaN)));
            t.Add([.. row]);
        }
        CsvWriter.Write(path, t);
    }

    /// <summary>One human line for the log.</summary>
    public static string Describe(EpochMetrics m)
    {
        var probes = string.Join(" ", m.OnlineTestAccuracy.Select(kv => $"{kv.Key} {kv.Value:0.000}"));
        return (
            $"epoch {m.Epoch}: loss {m.Loss:0.0000} (mean over the epoch), lr {m.LearningRate:0.#####} (last step), {m.ImagesPerSecond:0} img/s, {m.RssMegabytes:0} MB" +
            (double.IsNaN(m.KnnClassAccuracy) ? "" : $", kNN class {m.KnnClassAccuracy:0.000}") + (probes.Length > 0 ? $", online probes: {probes}" : "") + (m.Health == TrainingHealth.Ok ? "" : $", HEALTH: {m.Health}"));
    }
}
