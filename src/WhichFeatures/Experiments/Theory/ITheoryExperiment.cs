using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// One experiment of the theory lab, split into independent units (one per seed) and a summary that decides its
/// claims over all units (<see cref="ITheoryUnits{TUnit}"/>, reached through <see cref="WithUnits"/>). <see cref="Run"/>
/// is the two in one process; a sweep runs the units anywhere and summarises later. It never writes files.
/// </summary>
public interface ITheoryExperiment
{
    /// <summary>CLI name, e.g. "cc-dynamics".</summary>
    string Name { get; }
    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }
    /// <summary>Claim ids this experiment decides, e.g. ["CC-1", "CC-2"].</summary>
    IReadOnlyList<string> ClaimIds { get; }
    /// <summary>
    /// Checks <paramref name="options"/> for this experiment (throws <see cref="UserInputException"/>) and returns
    /// the seeds of its units, in the order <see cref="ITheoryUnits{TUnit}.Summarise"/> expects them.
    /// </summary>
    IReadOnlyList<long> UnitSeeds(TheoryRunOptions options);

    /// <summary>Gives this experiment's units, typed by their result, to <paramref name="user"/>.</summary>
    TResult WithUnits<TResult>(ITheoryUnitsUser<TResult> user);

    /// <summary>Runs every unit here, one after another, and summarises them.</summary>
    ExperimentResult Run(TheoryRunOptions options, IRunProgress progress, CancellationToken ct = default);
}
