using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// One experiment of the theory lab, split into independent units (one per seed) and a summary that decides its
/// claims over all units. <see cref="Run"/> is the two in one process; a sweep runs the units anywhere and
/// summarises later. It never writes files.
/// </summary>
public interface ITheoryExperiment
{
    /// <summary>CLI name, e.g. "cc-dynamics".</summary>
    string Name { get; }
    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }
    /// <summary>Claim ids this experiment decides, e.g. ["CC-1", "CC-2"].</summary>
    IReadOnlyList<string> ClaimIds { get; }
    /// <summary>The type a unit returns (serialised by a sweep between <see cref="RunUnit"/> and <see cref="Summarise"/>).</summary>
    Type UnitResultType { get; }

    /// <summary>
    /// Checks <paramref name="options"/> for this experiment (throws <see cref="UserInputException"/>) and returns
    /// the seeds of its units, in the order <see cref="Summarise"/> expects them.
    /// </summary>
    IReadOnlyList<long> UnitSeeds(TheoryRunOptions options);

    /// <summary>Runs the unit of <paramref name="seed"/> and returns its <see cref="UnitResultType"/> result.</summary>
    object RunUnit(TheoryRunOptions options, long seed, IRunProgress progress, CancellationToken ct = default);

    /// <summary>Decides the claims and builds tables and plots from every unit's result (in <see cref="UnitSeeds"/> order).</summary>
    ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<object> units);

    /// <summary>Runs every unit here, one after another, and summarises them.</summary>
    ExperimentResult Run(TheoryRunOptions options, IRunProgress progress, CancellationToken ct = default);
}
