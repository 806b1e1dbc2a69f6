namespace WhichFeatures.Reporting;

/// <summary>One line of a plot. Points with NaN are skipped. <paramref name="Color"/>: "#rrggbb", or null for the palette's next colour.</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? YError = null, string? Color = null);

/// <summary>A horizontal reference line (e.g. "min-norm solution" or "chance").</summary>
public sealed record ReferenceLine(string Label, double Y);

/// <summary>How a plot draws its series.</summary>
public enum PlotKind
{
    /// <summary>Lines through the points (curves, sweeps).</summary>
    Line,
    /// <summary>Markers only, one colour per series (e.g. a 2-D embedding coloured by class).</summary>
    Scatter,
    /// <summary>Grouped bars: series k draws a bar at each X (category index), labelled by <see cref="PlotSpec.XTickLabels"/>.</summary>
    Bar,
}

/// <summary>A description of a plot (lines by default); the reporting layer renders it to PNG. Experiments only describe.
/// <see cref="IntegerX"/>: ticks only at whole numbers (epochs).</summary>
public sealed record PlotSpec(
    string FileName,
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<PlotSeries> Series,
    bool LogX = false,
    IReadOnlyList<ReferenceLine>? ReferenceLines = null,
    double? YMin = null,
    double? YMax = null,
    PlotKind Kind = PlotKind.Line,
    IReadOnlyList<string>? XTickLabels = null,
    bool IntegerX = false);
