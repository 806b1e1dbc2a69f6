using WhichFeatures.Core;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// The one offline evaluation of frozen features: a <see cref="LogisticRegressionProbe"/> per label, fitted on
/// the train features and scored on the test features, plus weighted kNN accuracy (<see cref="KnnClassifier"/>)
/// on the <c>class</c> label when both splits have it. Used after training, by <c>probe</c>, by the real suite,
/// and on raw embeddings; it never sees a model.
/// </summary>
public sealed class ProbeSuite
{
    /// <summary>The label kNN is scored on.</summary>
    public const string KnnLabel = LabelKeys.Class;

    /// <summary>A suite with the given probe and kNN (default settings when null).</summary>
    /// <param name="probe">The per-label linear probe.</param>
    /// <param name="knn">The kNN classifier.</param>
    /// <param name="withKnn">False: score no kNN (<see cref="ProbeSuiteResult.KnnClassAccuracy"/> is NaN).</param>
    public ProbeSuite(LogisticRegressionProbe? probe = null, KnnClassifier? knn = null, bool withKnn = true)
    {
        Probe = probe ?? new LogisticRegressionProbe();
        Knn = withKnn ? knn ?? new KnnClassifier() : null;
    }

    /// <summary>The linear probe fitted per label.</summary>
    public LogisticRegressionProbe Probe { get; }
    /// <summary>The kNN classifier, or null when the suite scores no kNN.</summary>
    public KnnClassifier? Knn { get; }

    /// <summary>
    /// Probes <paramref name="labels"/> (default: every label both splits have, in ordinal order) and scores kNN
    /// on <see cref="KnnLabel"/> (NaN when there is no kNN or no such label).
    /// </summary>
    /// <exception cref="UserInputException">A requested label is missing from either split.</exception>
    public ProbeSuiteResult Run(FeatureSet train, FeatureSet test, IReadOnlyList<string>? labels = null)
    {
        var keys = labels ?? train.Labels.Keys.Where(test.Labels.ContainsKey).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var scores = new List<ProbeScore>();
        foreach (var key in keys)
        {
            if (!train.Labels.ContainsKey(key) || !test.Labels.ContainsKey(key))
                throw new UserInputException($"{train.Name}: no label \"{key}\" to probe; it has: {string.Join(", ", train.Labels.Keys.Where(test.Labels.ContainsKey))}.");
            int? k = train.Classes(key);
            var (tr, te) = Probe.FitAndScore(train.Features, train.Labels[key], test.Features, test.Labels[key], k);
            scores.Add(new ProbeScore(key, k ?? LogisticRegressionProbe.DefaultClasses(train.Labels[key], test.Labels[key]), tr, te));
        }
        return new ProbeSuiteResult(scores, KnnClassAccuracy(train, test));
    }

    /// <summary>kNN accuracy on <see cref="KnnLabel"/> of <paramref name="test"/> against the bank <paramref name="train"/>; NaN without kNN or label.</summary>
    public double KnnClassAccuracy(FeatureSet train, FeatureSet test)
    {
        if (Knn is null || !train.Labels.TryGetValue(KnnLabel, out var bankLabels) || !test.Labels.TryGetValue(KnnLabel, out var queryLabels))
            return double.NaN;
        return Knn.Accuracy(train.Features, bankLabels, test.Features, queryLabels, train.Classes(KnnLabel) ?? LogisticRegressionProbe.DefaultClasses(bankLabels, queryLabels));
    }
}
