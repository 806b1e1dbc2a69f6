using WhichFeatures.Core;
using WhichFeatures.Evaluation;

namespace WhichFeatures.Diagnostics;

/// <summary>How <c>diagnose</c> evaluates, and the thresholds of its verdicts (fixed here, before any data is seen).</summary>
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
    /// <summary>At most this many points are drawn in the PCA scatter plots (a seeded subsample).</summary>
    public int PlotPoints { get; init; } = 4000;

    /// <summary>
    /// Lift L = (accuracy − b) / (1 − b), with b = max(chance, majority): an attribute is "well above chance" when
    /// its mean probe lift is at least this.
    /// </summary>
    public const double DecodableLift = 0.5;
    /// <summary>An attribute is "near chance" when its mean probe lift is below this.</summary>
    public const double NearChanceLift = 0.1;
    /// <summary>
    /// Collapse verdict: subclasses are collapsed when the within-class subclass probe lift
    /// (accuracy − chance) / (1 − chance) is below this (the subclass is closer to chance than to perfectly decoded).
    /// </summary>
    public const double CollapseLift = 0.5;

    /// <summary>Checks the values a user can set.</summary>
    public DiagnosisSettings Validate()
    {
        if (Folds < 2) throw new UserInputException($"--folds must be at least 2, got {Folds}.");
        if (PlotPoints < 1) throw new UserInputException($"plot points must be at least 1, got {PlotPoints}.");
        return this;
    }
}
