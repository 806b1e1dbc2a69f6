using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// A theory experiment whose seeds are independent: each seed gives a <typeparamref name="TSeed"/>, and the claims
/// are decided from all of them. Running the seeds here (<see cref="Run"/>) and running them as sweep units gives
/// the same numbers, because both go through <see cref="RunSeed"/> and <see cref="Summarise(TheoryRunOptions, IReadOnlyList{TSeed})"/>.
/// </summary>
/// <typeparam name="TSeed">What one seed measures (JSON-serialisable, round-trips exactly).</typeparam>
public abstract class SeededTheoryExperiment<TSeed> : ITheoryExperiment, ITheoryUnits<TSeed> where TSeed : notnull
{
    /// <inheritdoc />
    public abstract string Name { get; }
    /// <inheritdoc />
    public abstract string Description { get; }
    /// <inheritdoc />
    public abstract IReadOnlyList<string> ClaimIds { get; }
    /// <summary>Throws <see cref="UserInputException"/> when <paramref name="options"/> cannot decide this experiment's claims.</summary>
    protected abstract void Check(TheoryRunOptions options);

    /// <summary>Progress units one seed reports (for the progress bar only).</summary>
    protected abstract double WorkPerSeed(TheoryRunOptions options);

    /// <summary>Runs one seed.</summary>
    protected abstract TSeed RunSeed(TheoryRunOptions options, long seed, IProgressTask task, CancellationToken ct);

    /// <inheritdoc />
    public abstract ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<TSeed> units);

    /// <inheritdoc />
    public virtual IReadOnlyList<long> UnitSeeds(TheoryRunOptions options)
    {
        options.Validate();
        Check(options);
        return options.SeedList;
    }

    /// <inheritdoc />
    public TSeed RunUnit(TheoryRunOptions options, long seed, IRunProgress progress, CancellationToken ct = default)
    {
        options.Validate();
        Check(options);
        using var task = progress.Start($"{Name} seed {seed}", WorkPerSeed(options));
        return TheoryRuntime.SingleThreaded(() => RunSeed(options, seed, task, ct));
    }

    /// <inheritdoc />
    public TResult WithUnits<TResult>(ITheoryUnitsUser<TResult> user) => user.Use(this);

    /// <inheritdoc />
    public ExperimentResult Run(TheoryRunOptions options, IRunProgress progress, CancellationToken ct = default)
    {
        var seeds = UnitSeeds(options);
        using var task = progress.Start(Name, seeds.Count * WorkPerSeed(options));
        var results = TheoryRuntime.SingleThreaded(() => seeds.Select(s => RunSeed(options, s, task, ct)).ToList());
        return Summarise(options, results);
    }
}
