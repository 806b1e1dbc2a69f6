using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Maps;

namespace WhichFeatures.Diagnosis;

/// <summary>How <c>diagnose</c> evaluates (the verdicts' thresholds are in Verdicts/VerdictThresholds).</summary>
public sealed record DiagnosisSettings
{
    /// <summary>Folds of the seeded stratified k-fold used when no test split is given.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Seed of the fold assignment and of the plotted subsample.</summary>
    public int Seed { get; init; }
    /// <summary>The class attribute (collapse is measured within its classes), or null.</summary>
    public string? ClassColumn { get; init; }
    /// <summary>The subclass attribute (nested in the class), or null.</summary>
    public string? SubclassColumn { get; init; }
    /// <summary>The offline linear probe.</summary>
    public LogisticRegressionProbe Probe { get; init; } = new();
    /// <summary>The kNN classifier.</summary>
    public KnnClassifier Knn { get; init; } = new();
    /// <summary>Attributes the user marked as controls (e.g. a random column): never counted as suppressed.</summary>
    public IReadOnlyList<string> ControlColumns { get; init; } = [];
    /// <summary>At most this many points are drawn in the PCA scatter plots (a seeded subsample).</summary>
    public int PlotPoints { get; init; } = 4000;
    /// <summary>At most this many rows are drawn in the t-SNE map (a seeded subsample); 0 draws no map.</summary>
    public int MapRows { get; init; } = SubsampledMap.DefaultRows;
    /// <summary>Perplexity of the t-SNE map (scikit-learn's default 30).</summary>
    public double MapPerplexity { get; init; } = 30;
    /// <summary>Iterations of the t-SNE map (scikit-learn's default 1,000).</summary>
    public int MapIterations { get; init; } = 1000;

    /// <summary>Checks the values a user can set.</summary>
    public DiagnosisSettings Validate()
    {
        if (Folds < 2) throw new UserInputException($"--folds must be at least 2, got {Folds}.");
        if (PlotPoints < 1) throw new UserInputException($"plot points must be at least 1, got {PlotPoints}.");
        if (MapRows < 0) throw new UserInputException($"--map-rows must be 0 (no map) or more, got {MapRows}.");
        if (!(MapPerplexity >= 1)) throw new UserInputException($"--perplexity must be at least 1, got {MapPerplexity}.");
        if (MapIterations <= TsneOptions.ExplorationIterations) throw new UserInputException($"--tsne-iterations must be more than {TsneOptions.ExplorationIterations} (the exaggerated phase), got {MapIterations}.");
        return this;
    }

    /// <summary>The t-SNE settings of the map.</summary>
    public TsneOptions Tsne => new(perplexity: MapPerplexity, iterations: MapIterations, seed: Seed);
}
