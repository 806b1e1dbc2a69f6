using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;

namespace WhichFeatures.Training;

/// <summary>metrics.csv: one row per epoch, rewritten atomically after every epoch so it is never half-written.</summary>
public static class MetricsCsv
{
    /// <summary>The columns every metrics.csv starts with, in order.</summary>
    public static IReadOnlyList<string> FixedColumns { get; } = ["epoch", "step", "loss", "lr_last_step", "seconds", "images_per_s", "rss_mb", "knn_class", "health"];

    /// <summary>Prefix of a label's online probe column: <c>online_test_&lt;label&gt;</c>.</summary>
    public const string OnlinePrefix = "online_test_";

    /// <summary>Prefix of a layer's offline probe columns: <c>offline_test_&lt;layer&gt;_</c>, then the label.</summary>
    public static string OfflinePrefix(string layer) => $"offline_test_{layer}_";

    /// <summary>
    /// Writes the whole history: per label an <c>online_test_&lt;label&gt;</c> column and, with
    /// <paramref name="offlineProbes"/>, per layer and label an <c>offline_test_&lt;layer&gt;_&lt;label&gt;</c> column
    /// (<see cref="OfflineProbeCurve"/>; NaN in epochs without the offline probes).
    /// </summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history, IReadOnlyList<string> labels, bool offlineProbes = false)
    {
        var offline = offlineProbes ? OfflineProbeCurve.Layers.SelectMany(layer => labels.Select(l => (Column: OfflinePrefix(layer) + l, Key: OfflineProbeCurve.Key(layer, l)))).ToList() : [];
        var cols = new List<string>(FixedColumns);
        cols.AddRange(labels.Select(l => OnlinePrefix + l));
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

    /// <summary>
    /// Reads a metrics.csv back into its rows (what <see cref="Write"/> wrote; <see cref="EpochMetrics.UniformLoss"/>,
    /// not a column, is NaN). A file that is not a metrics.csv is a <see cref="UserInputException"/> naming it.
    /// </summary>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) throw new UserInputException($"{path}: empty; expected a metrics.csv with a header row.");
        var header = UserLabels.SplitCsv(lines[0]);
        var missing = FixedColumns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) throw new UserInputException($"{path}: no column {string.Join(", ", missing)}; expected a metrics.csv written by 'whichfeatures train'.");
        var rows = new List<EpochMetrics>();
        for (int n = 1; n < lines.Count; n++)
        {
            var cells = UserLabels.SplitCsv(lines[n]);
            if (cells.Count != header.Count) throw new UserInputException($"{path} line {n + 1}: {cells.Count} cells, expected {header.Count}.");
            rows.Add(Row(header, cells, $"{path} line {n + 1}"));
        }
        return rows;
    }

    private static EpochMetrics Row(IReadOnlyList<string> header, IReadOnlyList<string> cells, string where)
    {
        double Number(int i) => double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new UserInputException($"{where}: {header[i]} '{cells[i]}' is not a number.");
        double Cell(string column) => Number(IndexOf(header, column));
        var online = new Dictionary<string, double>();
        var offline = new Dictionary<string, double>();
        for (int i = 0; i < header.Count; i++)
        {
            if (header[i].StartsWith(OnlinePrefix, StringComparison.Ordinal)) online[header[i][OnlinePrefix.Length..]] = Number(i);
            foreach (var layer in OfflineProbeCurve.Layers)
                if (header[i].StartsWith(OfflinePrefix(layer), StringComparison.Ordinal) && Number(i) is var a && !double.IsNaN(a))
                    offline[OfflineProbeCurve.Key(layer, header[i][OfflinePrefix(layer).Length..])] = a;   // NaN: not probed this epoch
        }
        return new EpochMetrics
        {
            Epoch = (int)Cell("epoch"), Step = (long)Cell("step"), Loss = Cell("loss"), LearningRate = Cell("lr_last_step"),
            Seconds = Cell("seconds"), ImagesPerSecond = Cell("images_per_s"), RssMegabytes = Cell("rss_mb"), KnnClassAccuracy = Cell("knn_class"),
            Health = cells[IndexOf(header, "health")], OnlineTestAccuracy = online, OfflineTestAccuracy = offline,
        };
    }

    private static int IndexOf(IReadOnlyList<string> header, string column) => header.ToList().IndexOf(column);

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
