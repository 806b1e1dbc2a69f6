using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>The real-data suite: the paper's real-data findings (docs/paper.md §5), in report order.</summary>
public static class RealSuite
{
    /// <summary>Every experiment, in the order the report shows them.</summary>
    public static IReadOnlyList<IRealExperiment> All { get; } =
    [
        FsEmbeddingRandBitExperiment.Mnist,
        FsEmbeddingRandBitExperiment.Cifar10,
        new DigitsOnBackgroundsExperiment(),
        new CcOverTrainingExperiment(),
        new JointLossExperiment(),
    ];

    /// <summary>The experiment called <paramref name="name"/>; unknown names are a user error listing the names.</summary>
    public static IRealExperiment Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UserInputException($"unknown real-data experiment \"{name}\"; expected one of: {string.Join(", ", All.Select(e => e.Name))}.");

    /// <summary>Runs <paramref name="experiments"/> (default: all) one after another, each run trained here.</summary>
    public static IReadOnlyList<ExperimentResult> Run(RealRunOptions options, IRunProgress progress, IEnumerable<IRealExperiment>? experiments = null, CancellationToken ct = default)
    {
        options.Validate();
        var schedule = RealScale.For(options);
        return (experiments ?? All).Select(e => Run(e, options, schedule, progress, ct)).ToList();
    }

    /// <summary>Trains every run of <paramref name="experiment"/> here and summarises them.</summary>
    public static ExperimentResult Run(IRealExperiment experiment, RealRunOptions options, RealSchedule schedule, IRunProgress progress, CancellationToken ct = default) =>
        experiment.Summarise(options, schedule, experiment.Runs(options, schedule).Select(spec => RealRunner.Train(spec, options, progress, ct)).ToList());
}
