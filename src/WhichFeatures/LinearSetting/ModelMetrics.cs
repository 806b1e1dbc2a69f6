namespace WhichFeatures.LinearSetting;

/// <summary>
/// What the theory lab measures about one linear encoder W (docs/theory.md §1). Weights are
/// ‖W u‖ for a feature direction u (RMS over its directions when it has several); shares are
/// ‖W u‖·strength / sqrt(mean ‖W x‖²) over the test data; accuracies are LDA probes (<see cref="LinearDiscriminantProbe"/>):
/// test = fitted on the first half of the fresh test set, scored on the second half; train = fitted and scored on
/// the training inputs (in-sample: it shows collapse on the training data).
/// </summary>
public sealed record ModelMetrics
{
    /// <summary>‖W u‖ for the class feature.</summary>
    public double ClassWeight { get; init; }
    /// <summary>‖W v‖ for the subclass feature (NaN when absent).</summary>
    public double SubclassWeight { get; init; } = double.NaN;
    /// <summary>Mean ‖W w_j‖ over the easy bits (NaN when absent).</summary>
    public double EasyWeight { get; init; } = double.NaN;
    /// <summary>Frobenius norm of W on the diverse subspace (0 when absent).</summary>
    public double DiverseWeight { get; init; }
    /// <summary>Frobenius norm of W on the noise coordinates.</summary>
    public double NoiseWeight { get; init; }
    /// <summary>Frobenius norm of W.</summary>
    public double TotalNorm { get; init; }
    /// <summary>Share of the class feature in the test embedding.</summary>
    public double ClassShare { get; init; }
    /// <summary>Share of the subclass feature.</summary>
    public double SubclassShare { get; init; } = double.NaN;
    /// <summary>Mean share of the easy bits.</summary>
    public double EasyShare { get; init; } = double.NaN;
    /// <summary>Test probe accuracy for the class.</summary>
    public double TestClassAccuracy { get; init; }
    /// <summary>Test probe accuracy for the global subclass id (fine label; chance 1/(K·S)).</summary>
    public double TestSubclassAccuracy { get; init; } = double.NaN;
    /// <summary>Mean test probe accuracy over the easy bits.</summary>
    public double TestEasyAccuracy { get; init; } = double.NaN;
    /// <summary>Probe accuracy for the class on the training inputs.</summary>
    public double TrainClassAccuracy { get; init; }
    /// <summary>Probe accuracy for the subclass on the training inputs.</summary>
    public double TrainSubclassAccuracy { get; init; } = double.NaN;
    /// <summary>
    /// Within-class subclass separability on test data: the fraction of within-class embedding variance explained
    /// by the subclass (between-subclass over within-class sum of squares), averaged over classes; 0 = collapsed, 1 = separated.
    /// </summary>
    public double SubclassSeparation { get; init; } = double.NaN;
    /// <summary>Training loss (set by the caller; NaN when not computed).</summary>
    public double TrainingLoss { get; init; } = double.NaN;
}
