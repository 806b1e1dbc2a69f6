using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// One real-data finding of the paper (docs/paper.md §5) as an experiment: it trains encoders over seeds, decides
/// its claim with a criterion fixed before running, and describes its results (the caller writes the files).
/// </summary>
public interface IRealExperiment
{
    /// <summary>CLI name, e.g. "fs-embedding-randbit".</summary>
    string Name { get; }
    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }
    /// <summary>Claim ids this experiment decides, e.g. ["REAL-FS"].</summary>
    IReadOnlyList<string> ClaimIds { get; }
    /// <summary>Runs over <see cref="RealRunOptions.Seeds"/> seeds and returns claims, tables and plots.</summary>
    ExperimentResult Run(RealRunOptions options, IRunProgress progress, CancellationToken ct = default);
}
