namespace WhichFeatures.Reporting;

/// <summary>What one experiment hands to the report: its claims, its tables (CSV) and its plots (PNG).</summary>
public sealed class ExperimentResult
{
    /// <summary>Experiment name, e.g. "cc-dynamics".</summary>
    public required string Name { get; init; }
    /// <summary>Claims this experiment decides (usually one).</summary>
    public List<ClaimResult> Claims { get; } = [];
    /// <summary>Every curve and sweep, one CSV each.</summary>
    public List<DataTable> Tables { get; } = [];
    /// <summary>Plots to render.</summary>
    public List<PlotSpec> Plots { get; } = [];
    /// <summary>The experiment's full parameters (serialised into config.json).</summary>
    public object? Parameters { get; init; }
}
