using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// What a <see cref="SweepUnit"/> runs: one seed of a theory experiment (<see cref="TheoryUnitWork"/>) or one training
/// run (<see cref="RealUnitWork"/>). Closed: these two are the only kinds, so a switch over them is complete.
/// </summary>
public abstract record UnitWork
{
    private protected UnitWork() { }
}

/// <summary>A theory unit: one seed of the experiment, with the suite's options.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Options">The theory suite's options.</param>
public sealed record TheoryUnitWork(long Seed, TheoryRunOptions Options) : UnitWork;

/// <summary>A real-data unit: one training run.</summary>
/// <param name="Run">The training run.</param>
public sealed record RealUnitWork(RealRunSpec Run) : UnitWork;
