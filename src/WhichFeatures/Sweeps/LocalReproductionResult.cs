using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>What a finished <see cref="LocalReproduction"/> returns for the summary lines.</summary>
/// <param name="Results">One result per experiment, as written to results.json.</param>
/// <param name="Elapsed">Time from the first unit to the written report.</param>
public sealed record LocalReproductionResult(IReadOnlyList<ExperimentResult> Results, TimeSpan Elapsed);
