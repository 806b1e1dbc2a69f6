using WhichFeatures.Reporting;

namespace WhichFeatures.Diagnostics;

/// <summary>How well one attribute can be read from the embeddings.</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="Categories">Number of categories.</param>
/// <param name="ProbeTest">Linear probe held-out accuracy, per split (one split with a test file, else one per fold).</param>
/// <param name="ProbeTrain">Linear probe training accuracy, per split.</param>
/// <param name="Knn">kNN held-out accuracy, per split.</param>
/// <param name="Chance">1 / (distinct training values), mean over splits.</param>
/// <param name="Majority">Held-out accuracy of predicting the training majority, mean over splits.</param>
/// <param name="Lift">(mean probe accuracy − b) / (1 − b), b = max(Chance, Majority).</param>
/// <param name="Verdict">"well above chance", "partly decodable" or "near chance" (thresholds in <see cref="DiagnosisSettings"/>).</param>
public sealed record AttributeScore(string Name, int Categories, Stat ProbeTest, Stat ProbeTrain, Stat Knn, double Chance, double Majority, double Lift, string Verdict);

/// <summary>One class's collapse and rank numbers.</summary>
/// <param name="Class">Class name.</param>
/// <param name="Count">Points of the class (in the embeddings used for NC1 and RankMe).</param>
/// <param name="SubclassAccuracy">Within-class subclass probe accuracy, mean over splits where it was scored (NaN if never).</param>
/// <param name="SubclassChance">1 / (subclasses of the class).</param>
/// <param name="Nc1">NC1_c (<see cref="WithinClassScatter"/>).</param>
/// <param name="RankMe">RankMe of the class's embeddings (<see cref="EffectiveRank"/>).</param>
public sealed record ClassDiagnosis(string Class, long Count, double SubclassAccuracy, double SubclassChance, double Nc1, double RankMe);

/// <summary>Class collapse: per class and overall.</summary>
/// <param name="ClassColumn">The class attribute.</param>
/// <param name="SubclassColumn">The subclass attribute, or null (then no subclass probe and no verdict).</param>
/// <param name="SubclassAccuracy">Test-count-weighted within-class subclass accuracy, per split.</param>
/// <param name="SubclassChance">Its chance, mean over splits.</param>
/// <param name="SubclassLift">(mean accuracy − chance) / (1 − chance).</param>
/// <param name="Nc1">Overall NC1.</param>
/// <param name="Collapsed">The verdict: lift below <see cref="DiagnosisSettings.CollapseLift"/>; null without a subclass column.</param>
/// <param name="Classes">Per class.</param>
public sealed record CollapseDiagnosis(string ClassColumn, string? SubclassColumn, Stat? SubclassAccuracy, double SubclassChance, double SubclassLift, double Nc1, bool? Collapsed, IReadOnlyList<ClassDiagnosis> Classes);

/// <summary>Everything <c>diagnose</c> measured.</summary>
/// <param name="Source">Where the embeddings came from.</param>
/// <param name="Rows">N of the (training) embeddings.</param>
/// <param name="Dimensions">D.</param>
/// <param name="TestRows">Rows of the test file, or 0 under k-fold.</param>
/// <param name="Evaluation">"train/test" or "k-fold (k = 5, seed 0, stratified by class)".</param>
/// <param name="Attributes">Per attribute.</param>
/// <param name="Collapse">Class collapse, when a class column is known.</param>
/// <param name="RankMe">RankMe of all (training) embeddings.</param>
/// <param name="PcaPoints">The plotted subsample: (pc1, pc2, row) with row an index into the embeddings.</param>
/// <param name="PcaVariance">Share of variance of the first two principal components.</param>
public sealed record DiagnosisResult(
    string Source, long Rows, long Dimensions, long TestRows, string Evaluation,
    IReadOnlyList<AttributeScore> Attributes, CollapseDiagnosis? Collapse, double RankMe,
    IReadOnlyList<(double X, double Y, long Row)> PcaPoints, (double First, double Second) PcaVariance)
{
    /// <summary>Attributes decodable well above chance.</summary>
    public IEnumerable<AttributeScore> Kept => Attributes.Where(a => a.Verdict == EmbeddingDiagnosis.WellAboveChance);
    /// <summary>Attributes near chance (suppressed, or never present).</summary>
    public IEnumerable<AttributeScore> NearChance => Attributes.Where(a => a.Verdict == EmbeddingDiagnosis.NearChanceVerdict);
}
