using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>One experiment of the theory lab: it runs, decides its claims over seeds and describes its results (it never writes files).</summary>
public interface ITheoryExperiment
{
    /// <summary>CLI name, e.g. "cc-dynamics".</summary>
    string Name { get; }
    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }
    /// <summary>Claim ids this experiment decides, e.g. ["CC-1", "CC-2"].</summary>
    IReadOnlyList<string> ClaimIds { get; }
    /// <summary>Runs over <see cref="TheoryRunOptions.Seeds"/> seeds and returns claims, tables and plots.</summary>
    ExperimentResult Run(TheoryRunOptions options, IRunProgress progress, CancellationToken ct = default);
}
