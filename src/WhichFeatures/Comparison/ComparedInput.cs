using WhichFeatures.Training;

namespace WhichFeatures.Comparison;

/// <summary>
/// One input folder of <c>compare</c>, read into what the comparison needs (<see cref="ComparedInputReader"/>): its
/// per-label readouts and verdicts as recorded, its per-epoch curves, its maps, and for a suite its claims and runs.
/// </summary>
/// <param name="Name">Its name in the report (--name, else the folder name).</param>
/// <param name="Folder">The folder as given.</param>
/// <param name="Kind">What kind of folder it is.</param>
public sealed record ComparedInput(string Name, string Folder, ComparedInputKind Kind)
{
    /// <summary>What the labels were measured on (<see cref="DatasetIdentity"/>); null when there are no per-label numbers (a suite, an unfinished run).</summary>
    public string? Dataset { get; init; }
    /// <summary>Per label, as results.json records it (empty for a suite or an unfinished run).</summary>
    public IReadOnlyList<LabelReadout> Labels { get; init; } = [];
    /// <summary>The encoder-level verdicts, or null (a suite, an unfinished run).</summary>
    public InputVerdicts? Verdicts { get; init; }
    /// <summary>Per epoch (metrics.csv of a training run; empty otherwise).</summary>
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
    /// <summary>The 2-D maps, one per attribute.</summary>
    public IReadOnlyList<MapImage> Maps { get; init; } = [];
    /// <summary>The input's own plots (probe_curves.png, loss.png, probe_accuracy.png) shown in its section when it is left out of the shared table.</summary>
    public IReadOnlyList<string> OwnPlots { get; init; } = [];
    /// <summary>A suite's claims and runs; null for one encoder.</summary>
    public SuiteSummary? Suite { get; init; }
    /// <summary>What the reader could not find or what to keep in mind, one sentence each.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
