using WhichFeatures.Data;
using WhichFeatures.Maps;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// The t-SNE map of a finished run: the test split's representations (at most <see cref="SubsampledMap.DefaultRows"/>
/// seeded rows) coloured by class and by subclass (or by the first label), written as tsne.csv and tsne_*.png.
/// </summary>
public static class RunMap
{
    /// <summary>Writes the map's files into <paramref name="runDir"/>; null when the split is too small to map.</summary>
    public static MapSummary? Write(string runDir, Tensor testFeatures, ImageDataset test, int seed)
    {
        var keys = test.Labels.Keys.OrderBy(k => k == LabelKeys.Class ? 0 : k == LabelKeys.Subclass ? 1 : 2).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var labels = keys.Select(k => new MapLabel(k, test.LabelValues(k), test.Names(k))).ToList();
        var fitted = SubsampledMap.Fit(testFeatures, labels, SubsampledMap.DefaultRows, new TsneOptions(seed: seed));
        if (fitted is null) return null;
        var plots = MapFigures.Plots(fitted.Map, fitted.Labels, LabelKeys.Class, LabelKeys.Subclass, "the test representations");
        foreach (var p in plots) PlotRenderer.Save(Path.Combine(runDir, p.FileName), p);
        CsvWriter.Write(Path.Combine(runDir, MapFigures.CsvFile), MapFigures.Table(fitted.Map, fitted.Rows, fitted.Labels));
        return fitted.Summary(test.Count, "test split", plots.Select(p => p.FileName));
    }
}
