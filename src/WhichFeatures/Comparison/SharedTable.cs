namespace WhichFeatures.Comparison;

/// <summary>
/// Which inputs and labels can stand side by side in one per-label table: inputs measured on the same data
/// (<see cref="DatasetIdentity"/>; the largest such group, the earliest input breaking a tie) and, among them, the
/// labels every one has with the same number of categories. Everything else is named in one line of
/// <see cref="LeftOut"/> and shown in its input's own section, never merged.
/// </summary>
/// <param name="Inputs">The inputs in the table, in the order given (empty when no two share their data).</param>
/// <param name="Dataset">Their data, or null.</param>
/// <param name="Labels">The labels every one of them has, in the first input's order.</param>
/// <param name="LeftOut">One line per input or label left out, starting "left out of the shared table: ".</param>
public sealed record SharedTable(IReadOnlyList<ComparedInput> Inputs, string? Dataset, IReadOnlyList<string> Labels, IReadOnlyList<string> LeftOut)
{
    /// <summary>How every line of <see cref="LeftOut"/> starts.</summary>
    public const string LeftOutPrefix = "left out of the shared table: ";

    /// <summary>Aligns <paramref name="inputs"/>.</summary>
    public static SharedTable Align(IReadOnlyList<ComparedInput> inputs)
    {
        var lines = new List<string>();
        foreach (var i in inputs.Where(i => i.Kind.IsSuite()))
            lines.Add($"{LeftOutPrefix}{i.Name} is a {i.Kind.Describe()} (claims and runs, not one encoder's per-label probes); see its own section");
        foreach (var i in inputs.Where(i => !i.Kind.IsSuite() && (i.Dataset is null || i.Labels.Count == 0)))
            lines.Add($"{LeftOutPrefix}{i.Name} has no per-label results ({string.Join("; ", i.Notes)})");
        var candidates = inputs.Where(i => i.Dataset is not null && i.Labels.Count > 0).ToList();
        var group = candidates.GroupBy(i => i.Dataset!).OrderByDescending(g => g.Count()).ThenBy(g => candidates.IndexOf(g.First())).FirstOrDefault();
        if (group is null || group.Count() < 2)
        {
            if (candidates.Count > 1)
                lines.Add($"{LeftOutPrefix}no two inputs were measured on the same data ({string.Join("; ", candidates.Select(c => $"{c.Name}: {c.Dataset}"))})");
            return new SharedTable([], null, [], lines);
        }
        var shared = group.ToList();
        foreach (var i in candidates.Except(shared))
            lines.Add($"{LeftOutPrefix}{i.Name} has dataset {i.Dataset}, the others {group.Key}");
        var labels = AlignLabels(shared, lines);
        return new SharedTable(shared, group.Key, labels, lines);
    }

    /// <summary>
    /// The inputs whose per-epoch curves can share axes: those with a history measured on the table's data (or, with no
    /// table, on the one data all of them share; none when they differ).
    /// </summary>
    public IReadOnlyList<ComparedInput> CurveInputs(IReadOnlyList<ComparedInput> inputs)
    {
        var withHistory = inputs.Where(i => i.History.Count > 0).ToList();
        var dataset = Dataset ?? (withHistory.Select(i => i.Dataset).Distinct().Count() == 1 ? withHistory[0].Dataset : null);
        return dataset is null ? [] : withHistory.Where(i => i.Dataset == dataset).ToList();
    }

    /// <summary>The readout of <paramref name="label"/> in <paramref name="input"/>.</summary>
    public static LabelReadout Cell(ComparedInput input, string label) => input.Labels.First(l => l.Label == label);

    private static List<string> AlignLabels(IReadOnlyList<ComparedInput> shared, List<string> lines)
    {
        var kept = new List<string>();
        foreach (var label in shared.SelectMany(i => i.Labels.Select(l => l.Label)).Distinct())
        {
            var having = shared.Where(i => i.Labels.Any(l => l.Label == label)).ToList();
            if (having.Count < shared.Count)
            {
                lines.Add($"{LeftOutPrefix}label '{label}': only {string.Join(", ", having.Select(i => i.Name))} {(having.Count == 1 ? "has" : "have")} it");
                continue;
            }
            var counts = shared.Select(i => Cell(i, label).Categories).ToList();
            if (counts.Distinct().Count() > 1)
            {
                lines.Add($"{LeftOutPrefix}label '{label}' has {string.Join(", ", shared.Select((i, n) => $"{counts[n]} categories in {i.Name}"))}");
                continue;
            }
            kept.Add(label);
        }
        return kept;
    }
}
