using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Maps;

/// <summary>
/// A t-SNE map as report files: the plotted rows (a seeded subsample), tsne.csv (row, x, y, one column per label)
/// and one scatter plot per label. The subclass plot gives each class one colour family (one hue, a shade per
/// subclass), so subclasses that collapsed show as one family in one blob.
/// </summary>
public static class MapFigures
{
    /// <summary>Legend entries shown per plot; further categories are drawn without a legend entry.</summary>
    public const int MaxLegendEntries = 20;

    /// <summary>The coordinates file.</summary>
    public const string CsvFile = "tsne.csv";

    private static readonly string[] Hues = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>At most <paramref name="maxRows"/> of <paramref name="rows"/> row indices, drawn with the seed, in ascending order.</summary>
    public static long[] Subsample(long rows, int maxRows, int seed)
    {
        var all = Enumerable.Range(0, (int)rows).Select(i => (long)i).ToArray();
        if (all.Length <= maxRows) return all;
        var rng = new Random(Seeds.PlotSubsample(seed));
        return all.OrderBy(_ => rng.Next()).Take(maxRows).Order().ToArray();
    }

    /// <summary>The file name of the map coloured by <paramref name="label"/>.</summary>
    public static string FileFor(string label) => PlotFile("tsne", label);

    /// <summary>"&lt;prefix&gt;_&lt;label&gt;.png" with every character of the label that is not a letter, digit, '-' or '_' as '_'.</summary>
    public static string PlotFile(string prefix, string label) =>
        prefix + "_" + string.Concat(label.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')) + ".png";

    /// <summary>tsne.csv: row (index into the split), x, y and the category name of each label.</summary>
    public static DataTable Table(TsneMap map, IReadOnlyList<long> rows, IReadOnlyList<MapLabel> labels)
    {
        var t = new DataTable("tsne", ["row", "x", "y", .. labels.Select(l => l.Name)]);
        for (int i = 0; i < map.Rows; i++)
            t.Add([rows[i], map.Coordinates[2 * i], map.Coordinates[2 * i + 1], .. labels.Select(l => (object)Name(l, i))]);
        return t;
    }

    /// <summary>
    /// The plots: by <paramref name="classLabel"/> and by <paramref name="subclassLabel"/> (in class colour families)
    /// when present, else by the first label.
    /// </summary>
    public static List<PlotSpec> Plots(TsneMap map, IReadOnlyList<MapLabel> labels, string? classLabel, string? subclassLabel, string what)
    {
        var cls = labels.FirstOrDefault(l => l.Name == classLabel);
        var sub = labels.FirstOrDefault(l => l.Name == subclassLabel);
        var plots = new List<PlotSpec>();
        if (cls is not null) plots.Add(Plot(map, cls, what, Palette(cls.Categories.Count)));
        if (sub is not null) plots.Add(Plot(map, sub, what, cls is null ? Palette(sub.Categories.Count) : Families(cls, sub)));
        if (plots.Count == 0 && labels.Count > 0) plots.Add(Plot(map, labels[0], what, Palette(labels[0].Categories.Count)));
        return plots;
    }

    private static PlotSpec Plot(TsneMap map, MapLabel label, string what, IReadOnlyList<string?> colours)
    {
        var series = new List<PlotSeries>();
        for (int k = 0; k < label.Categories.Count; k++)
        {
            var idx = Enumerable.Range(0, map.Rows).Where(i => label.Codes[i] == k).ToList();
            if (idx.Count == 0) continue;
            series.Add(new(k < MaxLegendEntries ? label.Categories[k] : "", idx.Select(i => map.Coordinates[2 * i]).ToArray(),
                idx.Select(i => map.Coordinates[2 * i + 1]).ToArray(), Color: colours[k]));
        }
        return new PlotSpec(FileFor(label.Name), $"t-SNE of {what}, coloured by {label.Name}", "t-SNE 1", "t-SNE 2", series, Kind: PlotKind.Scatter);
    }

    /// <summary>Ten distinct hues, then the renderer's palette.</summary>
    private static List<string?> Palette(int n) => Enumerable.Range(0, n).Select(k => k < Hues.Length ? Hues[k] : null).ToList();

    /// <summary>Each subclass takes the hue of its class (the class most of its rows carry), in a shade of its own.</summary>
    internal static List<string?> Families(MapLabel cls, MapLabel sub)
    {
        var familyOf = new long[sub.Categories.Count];
        for (int s = 0; s < familyOf.Length; s++)
        {
            var votes = Enumerable.Range(0, sub.Codes.Count).Where(i => sub.Codes[i] == s && cls.Codes[i] >= 0).Select(i => cls.Codes[i]).ToList();
            familyOf[s] = votes.Count == 0 ? -1 : votes.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        }
        var colours = new List<string?>();
        for (int s = 0; s < familyOf.Length; s++)
        {
            if (familyOf[s] < 0) { colours.Add("#aaaaaa"); continue; }
            var members = Enumerable.Range(0, familyOf.Length).Where(t => familyOf[t] == familyOf[s]).ToList();
            colours.Add(Shade(Hues[familyOf[s] % Hues.Length], members.IndexOf(s), members.Count));
        }
        return colours;
    }

    /// <summary>Shade <paramref name="index"/> of <paramref name="count"/>: from 45 % darker to 45 % lighter than the hue.</summary>
    internal static string Shade(string hex, int index, int count)
    {
        double t = count <= 1 ? 0 : -0.45 + 0.9 * index / (count - 1);
        var rgb = Enumerable.Range(0, 3).Select(c => int.Parse(hex.AsSpan(1 + 2 * c, 2), NumberStyles.HexNumber)).Select(v =>
            (int)Math.Round(t < 0 ? v * (1 + t) : v + (255 - v) * t)).ToArray();
        return $"#{rgb[0]:x2}{rgb[1]:x2}{rgb[2]:x2}";
    }

    private static string Name(MapLabel l, int i) => l.Codes[i] >= 0 && l.Codes[i] < l.Categories.Count ? l.Categories[(int)l.Codes[i]] : "";
}
