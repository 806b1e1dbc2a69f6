using WhichFeatures.Core;

namespace WhichFeatures.Experiments.Theory;

/// <summary>The theory lab's experiments, in paper order.</summary>
public static class TheorySuite
{
    /// <summary>All experiments: toy, cc-minimizers, cc-dynamics, fs-embedding, fs-augmentation, joint.</summary>
    public static IReadOnlyList<ITheoryExperiment> All { get; } =
    [
        new ToyExperiment(), new CcMinimizersExperiment(), new CcDynamicsExperiment(),
        new FsEmbeddingExperiment(), new FsAugmentationExperiment(), new JointExperiment(),
    ];

    /// <summary>The experiment called <paramref name="name"/>; an unknown name throws <see cref="UserInputException"/> listing the names.</summary>
    public static ITheoryExperiment Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UserInputException($"unknown theory experiment '{name}'; expected one of: {string.Join(", ", All.Select(e => e.Name))}.");
}
