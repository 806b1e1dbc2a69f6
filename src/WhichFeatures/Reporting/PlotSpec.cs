namespace WhichFeatures.Reporting;

/// <summary>One line of a plot. Points with NaN are skipped.</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? YError = null);

/// <summary>A horizontal reference line (e.g. "min-norm solution" or "chance").</summary>
public sealed record ReferenceLine(string Label, double Y);

/// <summary>A description of a line plot; the reporting layer renders it to PNG. Experiments only describe.
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
    bool IntegerX = false);
