namespace WhichFeatures.Reporting;

/// <summary>
/// A small table shown under a claim in report.md and report.html, and kept in results.json: one row per compared
/// setting (e.g. SCL, UCL and the joint loss), a number per column, as the paper shows a result. The CSVs keep the
/// full data.
/// </summary>
/// <param name="Title">What the table shows, one sentence.</param>
/// <param name="Columns">Column headers: the row label's first, then one per value.</param>
/// <param name="Rows">The rows, each with one value per column after the first.</param>
public sealed record ClaimTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<ClaimTableRow> Rows);

/// <summary>One row of a <see cref="ClaimTable"/>: its label and one value per further column (NaN where there is none).</summary>
/// <param name="Label">The row's label (first column).</param>
/// <param name="Values">The numbers, in column order.</param>
public sealed record ClaimTableRow(string Label, IReadOnlyList<double> Values);
