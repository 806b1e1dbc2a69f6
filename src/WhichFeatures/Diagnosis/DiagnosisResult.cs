using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Diagnosis;

/// <summary>One attribute: how the embeddings and the reference read it, and its two verdicts.</summary>
/// <param name="Measured">The embeddings' probe and kNN.</param>
/// <param name="Reference">The reference encoder's, read the same way, or null (then the reference is chance).</param>
/// <param name="Readability">Can it be read at all (against max(chance, majority))?</param>
/// <param name="Suppression">Was it lost relative to the reference?</param>
public sealed record AttributeScore(AttributeReadout Measured, AttributeReadout? Reference, ReadabilityVerdict Readability, SuppressionVerdict Suppression)
{
    /// <summary>The attribute.</summary>
    public string Name => Measured.Name;
    /// <summary>Its number of categories.</summary>
    public int Categories => Measured.Categories;
    /// <summary>Linear probe held-out accuracy over all scored rows, with its interval.</summary>
    public Accuracy Probe => Measured.Readout.Probe;
    /// <summary>kNN held-out accuracy over all scored rows, with its interval.</summary>
    public Accuracy Knn => Measured.Readout.Knn!;
}

/// <summary>One class's collapse and rank numbers.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Count">Points of the class (in the embeddings used for NC1 and RankMe).</param>
/// <param name="SubclassAccuracy">Within-class subclass probe accuracy, mean over splits where it was scored (NaN if never).</param>
/// <param name="SubclassKnn">Within-class subclass kNN accuracy, likewise.</param>
/// <param name="SubclassChance">1 / (subclasses of the class).</param>
/// <param name="Nc1">NC1_c (<see cref="WithinClassScatter"/>).</param>
/// <param name="RankMe">RankMe of the class's embeddings (<see cref="EffectiveRank"/>).</param>
public sealed record ClassDiagnosis(string Class, long Count, double SubclassAccuracy, double SubclassKnn, double SubclassChance, double Nc1, double RankMe);

/// <summary>Class collapse: per class and overall.</summary>
/// <param name="ClassColumn">The class attribute.</param>
/// <param name="SubclassColumn">The subclass attribute, or null (then no subclass readout and no verdict).</param>
/// <param name="Measured">The embeddings' within-class subclass readout, or null.</param>
/// <param name="Reference">The reference's, or null.</param>
/// <param name="Nc1">Overall NC1.</param>
/// <param name="Verdict">The collapse verdict; null without a subclass readout.</param>
/// <param name="Classes">Per class.</param>
public sealed record CollapseDiagnosis(string ClassColumn, string? SubclassColumn, SubclassReadout? Measured, SubclassReadout? Reference, double Nc1, CollapseVerdict? Verdict, IReadOnlyList<ClassDiagnosis> Classes);

/// <summary>Everything <c>diagnose</c> measured and judged.</summary>
/// <param name="Source">Where the embeddings came from.</param>
/// <param name="Rows">N of the (training) embeddings.</param>
/// <param name="Dimensions">D.</param>
/// <param name="TestRows">Rows of the test file, or 0 under k-fold.</param>
/// <param name="Splits">The held-out splits and their protocol.</param>
/// <param name="Reference">What the verdicts compare with.</param>
/// <param name="ReferenceSource">Where the reference embeddings came from ("chance" without one).</param>
/// <param name="Attributes">Per attribute.</param>
/// <param name="Collapse">Class collapse, when a class column is known.</param>
/// <param name="RankMe">RankMe of all (training) embeddings.</param>
/// <param name="PcaPoints">The plotted subsample: (pc1, pc2, row) with row an index into the embeddings.</param>
/// <param name="PcaVariance">Share of variance of the first two principal components.</param>
public sealed record DiagnosisResult(
    string Source, long Rows, long Dimensions, long TestRows, EvaluationSplits Splits, ReferenceKind Reference, string ReferenceSource,
    IReadOnlyList<AttributeScore> Attributes, CollapseDiagnosis? Collapse, double RankMe,
    IReadOnlyList<(double X, double Y, long Row)> PcaPoints, (double First, double Second) PcaVariance)
{
    /// <summary>The t-SNE map of the (training) embeddings, or null (<c>--map-rows 0</c>, or too few rows).</summary>
    public Maps.SubsampledMap? Map { get; init; }
    /// <summary>The protocol in words.</summary>
    public string Evaluation => Splits.Description;
    /// <summary>Attributes read well above chance.</summary>
    public IEnumerable<AttributeScore> Kept => Attributes.Where(a => a.Readability.Outcome == Readability.WellAboveChance);
    /// <summary>Attributes that no reader reads (suppressed, or never in the input).</summary>
    public IEnumerable<AttributeScore> NearChance => Attributes.Where(a => a.Readability.Outcome == Readability.NearChance);
    /// <summary>Attributes lost relative to the reference.</summary>
    public IEnumerable<AttributeScore> Suppressed => Attributes.Where(a => a.Suppression.Outcome == SuppressionOutcome.Suppressed);
    /// <summary>The feature-suppression verdict over all attributes (<see cref="SuppressionSummary"/>).</summary>
    public string SuppressionVerdict => SuppressionSummary.Judge(Attributes.Select(a => a.Suppression));
}
