using WhichFeatures.Core;

namespace WhichFeatures.Diagnosis;

/// <summary>One held-out split: rows that fit the readers and rows they are scored on.</summary>
/// <param name="Name">"train/test" or "fold 2/5", for progress lines.</param>
/// <param name="TrainRows">Rows of the training embeddings.</param>
/// <param name="TestRows">Rows of the test embeddings (under k-fold: of the training embeddings too).</param>
public sealed record EvaluationSplit(string Name, long[] TrainRows, long[] TestRows);

/// <summary>
/// The held-out splits of a diagnosis: the one train/test split when a test file is given, else seeded stratified
/// k-fold on the training rows (<see cref="StratifiedFolds"/>), where every row is scored exactly once.
/// </summary>
/// <param name="Splits">The splits, in order.</param>
/// <param name="KFold">True under k-fold: the test rows index the training embeddings.</param>
/// <param name="Description">The protocol in words, for reports.</param>
public sealed record EvaluationSplits(IReadOnlyList<EvaluationSplit> Splits, bool KFold, string Description)
{
    /// <summary>"fold" under k-fold, else "split".</summary>
    public string Unit => KFold ? "fold" : "split";

    /// <summary>The splits for <paramref name="train"/> (and <paramref name="test"/>, when given), stratified by <paramref name="strata"/>.</summary>
    public static EvaluationSplits Create(LabelledEmbeddings train, LabelledEmbeddings? test, AttributeColumn strata, DiagnosisSettings settings)
    {
        if (test is not null)
            return new([new EvaluationSplit("train/test", Range(train.Count), Range(test.Count))], false, $"train/test ({train.Count} / {test.Count} rows)");
        var folds = StratifiedFolds.Assign(strata.Codes, settings.Folds, Seeds.DiagnosisFolds(settings.Seed));
        var splits = Enumerable.Range(0, settings.Folds).Select(f => new EvaluationSplit($"fold {f + 1}/{settings.Folds}",
            Enumerable.Range(0, folds.Length).Where(i => folds[i] != f).Select(i => (long)i).ToArray(),
            Enumerable.Range(0, folds.Length).Where(i => folds[i] == f).Select(i => (long)i).ToArray())).ToList();
        return new(splits, true, $"stratified {settings.Folds}-fold cross-validation (seed {settings.Seed}, strata: {strata.Name}); every row is scored once");
    }

    private static long[] Range(long n) => Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray();
}
