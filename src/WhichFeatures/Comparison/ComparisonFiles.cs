using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Comparison;

/// <summary>
/// Writes a comparison into its folder, every file atomically: the overlaid curves (curves_*.png), each input's maps
/// (maps/&lt;input&gt;/) and, for an input not side by side, its own plots (inputs/&lt;input&gt;/), so the folder is
/// self-contained; shared_table.csv; report.md and report.html; comparison.json last (a folder with it is complete).
/// </summary>
public static class ComparisonFiles
{
    /// <summary>The machine-readable summary, written last.</summary>
    public const string SummaryFile = "comparison.json";
    /// <summary>The shared per-label table as CSV.</summary>
    public const string TableFile = "shared_table.csv";

    /// <summary>Where <paramref name="map"/> of <paramref name="input"/> is copied, relative to the comparison folder.</summary>
    public static string MapFile(ComparedInput input, MapImage map) => $"maps/{SafeFileName.Of(input.Name)}/{map.FileName}";

    /// <summary>Where the input's own plot <paramref name="file"/> is copied, relative to the comparison folder.</summary>
    public static string OwnPlotFile(ComparedInput input, string file) => $"inputs/{SafeFileName.Of(input.Name)}/{file}";

    /// <summary>
    /// Refuses to write into one of the inputs (even with --force): the comparison's report.md, report.html and plots
    /// would replace the input's own.
    /// </summary>
    public static void CheckTarget(string dir, IReadOnlyList<ComparedInput> inputs)
    {
        static string Full(string d) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d));
        if (inputs.FirstOrDefault(i => Full(i.Folder) == Full(dir)) is { } input)
            throw new UserInputException($"--out {dir}: is the input {input.Name}; its own report would be replaced; choose another folder.");
    }

    /// <summary>Writes everything for <paramref name="r"/> into the existing folder <paramref name="dir"/>; returns the report.html path.</summary>
    public static string Write(string dir, ComparisonResult r)
    {
        var curves = CurveOverlay.Plots(r.CurveInputs, r.Table.Inputs.Count > 0 ? r.Table.Labels : CommonOnlineLabels(r.CurveInputs));
        foreach (var p in curves) PlotRenderer.Save(Path.Combine(dir, p.FileName), p);
        foreach (var i in r.Inputs)
        {
            foreach (var m in i.Maps) Copy(m.SourcePath, Path.Combine(dir, MapFile(i, m)));
            if (!r.SideBySide.Contains(i))
                foreach (var p in i.OwnPlots) Copy(Path.Combine(i.Folder, p), Path.Combine(dir, OwnPlotFile(i, p)));
        }
        CsvWriter.Write(Path.Combine(dir, TableFile), Table(r.Table));
        var report = ComparisonReport.Build(r, curves);
        AtomicFile.WriteAllText(Path.Combine(dir, "report.md"), report.Markdown());
        var html = Path.Combine(dir, "report.html");
        AtomicFile.WriteAllText(html, report.Html(ComparisonReport.Title(r)));
        AtomicFile.WriteAllText(Path.Combine(dir, SummaryFile), RunJson.Serialize(ComparisonSummary.Of(r, curves)));
        return html;
    }

    private static void Copy(string source, string target) => AtomicFile.WriteAllBytes(target, File.ReadAllBytes(source));

    // With no shared table (runs without results yet), the labels whose online curve every run has.
    private static List<string> CommonOnlineLabels(IReadOnlyList<ComparedInput> runs) =>
        runs.Count == 0 ? [] : runs.Select(r => r.History.SelectMany(h => h.OnlineTestAccuracy.Keys).ToHashSet())
            .Aggregate((a, b) => { a.IntersectWith(b); return a; }).Order(StringComparer.Ordinal).ToList();

    private static DataTable Table(SharedTable t)
    {
        var table = new DataTable("shared_table", "label", "input", "kind", "probe", "knn", "reference", "reference_kind", "verdict");
        foreach (var label in t.Labels)
            foreach (var i in t.Inputs)
            {
                var c = SharedTable.Cell(i, label);
                table.Add(label, i.Name, i.Kind.Describe(), c.Probe, c.Knn ?? double.NaN, c.Reference ?? double.NaN, c.ReferenceName, c.Verdict);
            }
        return table;
    }
}
