namespace WhichFeatures.Comparison;

/// <summary>comparison.json: what was compared and how it was aligned, for tools (the per-epoch histories stay in each input's metrics.csv).</summary>
/// <param name="Inputs">Every input with its labels, verdicts and (for a suite) claims and runs.</param>
/// <param name="Shared">The shared per-label table: its inputs (by name), data and labels.</param>
/// <param name="SharedClaims">The suites' shared claims table: its suites (by name) and claim ids.</param>
/// <param name="LeftOut">Every left-out line.</param>
/// <param name="Curves">The curve plots written, with the inputs drawn in each.</param>
/// <param name="Maps">Every map copied: input, attribute, method and file.</param>
public sealed record ComparisonSummary(
    IReadOnlyList<ComparisonSummary.InputJson> Inputs, ComparisonSummary.SharedJson Shared, ComparisonSummary.ClaimsJson SharedClaims,
    IReadOnlyList<string> LeftOut, IReadOnlyList<ComparisonSummary.CurveJson> Curves, IReadOnlyList<ComparisonSummary.MapJson> Maps)
{
    /// <summary>One input.</summary>
    public sealed record InputJson(string Name, string Folder, ComparedInputKind Kind, string? Dataset, IReadOnlyList<LabelReadout> Labels,
        InputVerdicts? Verdicts, SuiteSummary? Suite, IReadOnlyList<string> Notes);
    /// <summary>The shared per-label table.</summary>
    public sealed record SharedJson(IReadOnlyList<string> Inputs, string? Dataset, IReadOnlyList<string> Labels);
    /// <summary>The shared claims table.</summary>
    public sealed record ClaimsJson(IReadOnlyList<string> Suites, IReadOnlyList<string> Ids);
    /// <summary>One curve plot and the inputs it draws, one line each.</summary>
    public sealed record CurveJson(string File, string Title, IReadOnlyList<string> Series);
    /// <summary>One copied map.</summary>
    public sealed record MapJson(string Input, string Attribute, string Method, string File);

    /// <summary>The summary of <paramref name="r"/> with the curves written.</summary>
    public static ComparisonSummary Of(ComparisonResult r, IReadOnlyList<Reporting.PlotSpec> curves) => new(
        r.Inputs.Select(i => new InputJson(i.Name, i.Folder, i.Kind, i.Dataset, i.Labels, i.Verdicts, i.Suite, i.Notes)).ToList(),
        new SharedJson(r.Table.Inputs.Select(i => i.Name).ToList(), r.Table.Dataset, r.Table.Labels),
        new ClaimsJson(r.Claims.Suites.Select(s => s.Name).ToList(), r.Claims.Ids),
        r.LeftOut,
        curves.Select(p => new CurveJson(p.FileName, p.Title, p.Series.Select(s => s.Label).ToList())).ToList(),
        r.Inputs.SelectMany(i => i.Maps.Select(m => new MapJson(i.Name, m.Attribute, m.Method, ComparisonFiles.MapFile(i, m)))).ToList());
}
