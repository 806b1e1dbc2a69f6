namespace WhichFeatures.Comparison;

/// <summary>
/// Everything <c>compare</c> reports, before anything is written: the inputs as read, the shared per-label table
/// and, for two or more suites, the shared claims table.
/// </summary>
/// <param name="Inputs">Every input, in the order given.</param>
/// <param name="Table">The per-label table and what was left out of it.</param>
/// <param name="Claims">The suites' claims table and what was left out of it.</param>
public sealed record ComparisonResult(IReadOnlyList<ComparedInput> Inputs, SharedTable Table, SharedClaims Claims)
{
    /// <summary>Aligns the inputs read by <see cref="ComparedInputReader.ReadAll"/>.</summary>
    public static ComparisonResult Of(IReadOnlyList<ComparedInput> inputs) => new(inputs, SharedTable.Align(inputs), SharedClaims.Align(inputs));

    /// <summary>Every left-out line (inputs, labels, claims), each one line for the console and the report.</summary>
    public IReadOnlyList<string> LeftOut => [.. Table.LeftOut, .. Claims.LeftOut];

    /// <summary>The training runs whose curves share axes (<see cref="SharedTable.CurveInputs"/>).</summary>
    public IReadOnlyList<ComparedInput> CurveInputs => Table.CurveInputs(Inputs);

    /// <summary>The encoders shown side by side (the table's inputs and the runs on its data without results yet), in input order.</summary>
    public IReadOnlyList<ComparedInput> SideBySide => Inputs.Where(i => Table.Inputs.Contains(i) || CurveInputs.Contains(i)).ToList();

    /// <summary>What the console prints: one line per input, every left-out line, and what the shared table holds.</summary>
    public IReadOnlyList<string> ConsoleLines()
    {
        var lines = Inputs.Select(i => $"{i.Name}: {i.Kind.Describe()}, {i.Folder}" + (i.Dataset is null ? "" : $", {i.Dataset}")
            + (i.Labels.Count > 0 ? $", labels {string.Join(", ", i.Labels.Select(l => l.Label))}" : "")).ToList();
        lines.AddRange(LeftOut);
        lines.Add(Table.Inputs.Count == 0 ? "shared table: none (no two inputs with per-label results on the same data)"
            : $"shared table: {Table.Inputs.Count} inputs x {Table.Labels.Count} labels ({string.Join(", ", Table.Labels)}) on {Table.Dataset}");
        if (Claims.Suites.Count > 0) lines.Add($"shared claims table: {Claims.Suites.Count} suites x {Claims.Ids.Count} claims");
        return lines;
    }
}
