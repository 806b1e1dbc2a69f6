using System.Globalization;
using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Comparison;

/// <summary>
/// report.md / report.html of <c>compare</c>, as one <see cref="BlockDocument"/>: the inputs, every left-out line,
/// the shared per-label table and the verdicts, the overlaid curves, the maps side by side, the suites' claims, then
/// one section per input with everything it has (its own plots and maps too when it is not side by side).
/// </summary>
public static class ComparisonReport
{
    /// <summary>The report's title.</summary>
    public static string Title(ComparisonResult r) => "Comparison: " + string.Join(", ", r.Inputs.Select(i => i.Name));

    /// <summary>The report for <paramref name="r"/> with the curve plots written as <paramref name="curves"/>.</summary>
    public static BlockDocument Build(ComparisonResult r, IReadOnlyList<PlotSpec> curves)
    {
        var b = new BlockDocument();
        b.Heading(Title(r));
        b.Paragraph("Every number and verdict below is the one each input's own results.json records; nothing is recomputed. " +
                    "Accuracies are on each input's held-out rows; the reference is what that input compared with.");
        b.Table(["input", "kind", "folder", "data", "notes"], r.Inputs.Select(i => new[]
            { i.Name, i.Kind.Describe(), i.Folder, i.Dataset ?? "-", i.Notes.Count == 0 ? "-" : string.Join("; ", i.Notes) }).ToList());
        foreach (var line in r.LeftOut) b.Paragraph(line);
        SharedTableBlocks(b, r.Table);
        CurveBlocks(b, r, curves);
        MapBlocks(b, r.SideBySide, "Maps");
        ClaimBlocks(b, r.Claims);
        foreach (var input in r.Inputs) InputSection(b, input, sideBySide: r.SideBySide.Contains(input));
        return b;
    }

    private static void SharedTableBlocks(BlockDocument b, SharedTable t)
    {
        if (t.Inputs.Count == 0) return;
        b.Heading("Per-label probe and kNN (shared table)");
        b.Paragraph($"Data: {t.Dataset}. Labels every input has with the same categories: {string.Join(", ", t.Labels)}.");
        b.Table(["label", "input", "probe", "kNN", "reference", "verdict"], t.Labels.SelectMany(label => t.Inputs.Select(i =>
        {
            var c = SharedTable.Cell(i, label);
            return new[] { label, i.Name, F(c.Probe), F(c.Knn), $"{F(c.Reference)} ({c.ReferenceName})", c.Verdict };
        })).ToList());
        b.Heading("Verdicts");
        b.Table(["input", "learnt", "training health", "class collapse", "within-class subclass (best reader) vs reference", "feature suppression"],
            t.Inputs.Select(i => VerdictRow(i)).ToList());
    }

    private static string[] VerdictRow(ComparedInput i)
    {
        var v = i.Verdicts;
        var c = v?.Collapse;
        string within = c is null ? "-" : $"{F(c.Value.Value)} ({c.Reader}) vs {F(c.ReferenceValue.Value)} at {c.Reference.Describe()}";
        return [i.Name, v?.Learnt ?? "-", v?.Health ?? "-", v?.CollapseText ?? "-", within, v?.Suppression ?? "-"];
    }

    private static void CurveBlocks(BlockDocument b, ComparisonResult r, IReadOnlyList<PlotSpec> curves)
    {
        if (curves.Count == 0) return;
        b.Heading("Curves");
        var without = r.SideBySide.Where(i => !r.CurveInputs.Contains(i)).Select(i => i.Name).ToList();
        b.Paragraph("One line per training run, per epoch from its metrics.csv; the offline probe only at the epochs it ran (--offline-probe-every)." +
                    (without.Count > 0 ? $" Without training curves: {string.Join(", ", without)}." : ""));
        foreach (var p in curves) b.Image(p.Title, p.FileName);
    }

    private static void MapBlocks(BlockDocument b, IReadOnlyList<ComparedInput> inputs, string heading)
    {
        var attributes = MapImages.Attributes(inputs);
        if (attributes.Count == 0) return;
        b.Heading(heading);
        b.Paragraph("Per attribute, each input's map next to the others: t-SNE where the input has one, else PCA (copied into maps/). " + Maps.MapSummary.Caveat);
        foreach (var a in attributes)
        {
            b.Paragraph($"Coloured by {a}:");
            b.ImageRow(inputs.Select(i => i.Maps.FirstOrDefault(m => m.Attribute == a) is { } m
                ? ($"{i.Name} ({m.Method})", (string?)ComparisonFiles.MapFile(i, m)) : ($"{i.Name} (no map)", null)).ToList());
        }
    }

    private static void ClaimBlocks(BlockDocument b, SharedClaims claims)
    {
        if (claims.Suites.Count == 0) return;
        b.Heading("Claims (shared table)");
        b.Table(["claim", .. claims.Suites.Select(s => s.Name)], claims.Ids.Select(id =>
            new[] { id }.Concat(claims.Suites.Select(s => SharedClaims.Cell(s, id) is var c ? $"{c.Outcome} ({c.KeyNumbers})" : "")).ToArray()).ToList());
    }

    private static void InputSection(BlockDocument b, ComparedInput i, bool sideBySide)
    {
        b.Heading($"{i.Name}: {i.Kind.Describe()}");
        b.Paragraph($"Folder {i.Folder}" + (i.Dataset is null ? "." : $"; data {i.Dataset}.") + string.Concat(i.Notes.Select(n => $" Note: {n}.")));
        if (i.Labels.Count > 0)
            b.Table(["label", "categories", "probe", "kNN", "reference", "verdict"], i.Labels.Select(l => new[]
                { l.Label, l.Categories.ToString(CultureInfo.InvariantCulture), F(l.Probe), F(l.Knn), $"{F(l.Reference)} ({l.ReferenceName})", l.Verdict }).ToList());
        foreach (var s in i.Verdicts?.Sentences ?? []) b.Paragraph(s);
        if (i.Suite is { } suite) SuiteBlocks(b, suite);
        if (sideBySide) return;
        foreach (var p in i.OwnPlots) b.Image($"{i.Name}: {p}", ComparisonFiles.OwnPlotFile(i, p));
        foreach (var m in i.Maps) b.Image($"{i.Name}: {m.Method} map coloured by {m.Attribute}", ComparisonFiles.MapFile(i, m));
    }

    private static void SuiteBlocks(BlockDocument b, SuiteSummary s)
    {
        b.Paragraph($"Suite {s.Suite}{(s.SmokeRun ? " (smoke run)" : "")}: {s.Claims.Count} claims, {s.Runs.Count} units.");
        if (s.Claims.Count > 0)
            b.Table(["claim", "outcome", "key numbers"], s.Claims.Select(c => new[] { c.Id, c.Outcome, c.KeyNumbers }).ToList());
        var labels = s.Runs.SelectMany(u => u.ProbeTest.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        b.Table(["unit", "experiment", "status", .. labels.Select(l => $"probe {l}"), "folder"], s.Runs.Select(u =>
            new[] { u.Id, u.Experiment, u.Status }.Concat(labels.Select(l => u.ProbeTest.TryGetValue(l, out var a) ? F(a) : "-")).Append(u.Folder).ToArray()).ToList());
    }

    /// <summary>An accuracy as the reports print it (4 decimals; "-" when absent).</summary>
    public static string F(double? v) => v is double d && double.IsFinite(d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
