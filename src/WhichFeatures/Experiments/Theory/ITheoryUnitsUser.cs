namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// Code that works with a theory experiment's units at their own type (a sweep running a unit into result.json, or
/// reading them back to summarise), given to <see cref="ITheoryExperiment.WithUnits"/> since the type differs per experiment.
/// </summary>
/// <typeparam name="TResult">What the code gives back.</typeparam>
public interface ITheoryUnitsUser<out TResult>
{
    /// <summary>Works with <paramref name="units"/>, whose results are <typeparamref name="TUnit"/>.</summary>
    TResult Use<TUnit>(ITheoryUnits<TUnit> units) where TUnit : notnull;
}
