using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>The real-data suite: the paper's four real-data findings (docs/paper.md §5), in report order.</summary>
public static class RealSuite
{
    /// <summary>Every experiment, in the order the report shows them.</summary>
    public static IReadOnlyList<IRealExperiment> All { get; } =
    [
        new FsEmbeddingRandBitExperiment(),
        new CcOverTrainingExperiment(),
        new JointRandBitExperiment(),
        new DigitsOnBackgroundsExperiment(),
    ];

    /// <summary>The experiment called <paramref name="name"/>; unknown names are a user error listing the names.</summary>
    public static IRealExperiment Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UserInputException($"unknown real-data experiment \"{name}\"; expected one of: {string.Join(", ", All.Select(e => e.Name))}.");

    /// <summary>Runs <paramref name="experiments"/> (default: all) one after another.</summary>
    public static IReadOnlyList<ExperimentResult> Run(RealRunOptions options, IRunProgress progress, IEnumerable<IRealExperiment>? experiments = null, CancellationToken ct = default)
    {
        options.Validate();
        return (experiments ?? All).Select(e => e.Run(options, progress, ct)).ToList();
    }
}
