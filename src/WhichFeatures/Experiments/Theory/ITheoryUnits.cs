using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// A theory experiment's two halves typed by what one unit (one seed) measures: a sweep runs <see cref="RunUnit"/>
/// anywhere, stores the <typeparamref name="TUnit"/> as result.json, and later hands every unit back to
/// <see cref="Summarise"/>. Reached from an <see cref="ITheoryExperiment"/> through <see cref="ITheoryExperiment.WithUnits"/>.
/// </summary>
/// <typeparam name="TUnit">One unit's result (JSON-serialisable, round-trips exactly).</typeparam>
public interface ITheoryUnits<TUnit> where TUnit : notnull
{
    /// <summary>Runs the unit of <paramref name="seed"/>.</summary>
    TUnit RunUnit(TheoryRunOptions options, long seed, IRunProgress progress, CancellationToken ct = default);

    /// <summary>Decides the claims and builds tables and plots from every unit's result (in <see cref="ITheoryExperiment.UnitSeeds"/> order).</summary>
    ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<TUnit> units);
}
