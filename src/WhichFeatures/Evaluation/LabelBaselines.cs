using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// The two accuracies a probe must beat to show that a label is decodable at all.
/// Labels are int64 [N] tensors; any label values are allowed (they need not be 0..K-1).
/// </summary>
public static class LabelBaselines
{
    /// <summary>
    /// Chance accuracy: 1 / K, where K is the number of distinct labels in <paramref name="trainLabels"/> [N]
    /// (the accuracy of guessing uniformly among the labels the probe was trained on).
    /// </summary>
    public static double Chance(Tensor trainLabels)
    {
        if (trainLabels.numel() == 0) throw new ArgumentException("chance needs at least one training label", nameof(trainLabels));
        using var distinct = trainLabels.unique().output;
        return 1.0 / distinct.numel();
    }

    /// <summary>
    /// Majority accuracy: the fraction of <paramref name="testLabels"/> [M] equal to the most frequent label of
    /// <paramref name="trainLabels"/> [N] (ties broken towards the smallest label value), i.e. the test accuracy of
    /// a classifier that always predicts the training majority.
    /// </summary>
    public static double Majority(Tensor trainLabels, Tensor testLabels)
    {
        if (trainLabels.numel() == 0) throw new ArgumentException("majority needs at least one training label", nameof(trainLabels));
        if (testLabels.numel() == 0) throw new ArgumentException("majority needs at least one test label", nameof(testLabels));
        using var scope = NewDisposeScope();
        var (values, _, counts) = trainLabels.to_type(ScalarType.Int64).cpu().unique(sorted: true, return_counts: true); // [K], [K]
        // argmax returns the first maximum; values are sorted, so ties go to the smallest label.
        long majority = values[counts!.argmax()].ToInt64();
        return testLabels.to_type(ScalarType.Int64).cpu().eq(majority).to_type(ScalarType.Float64).mean().ToDouble();
    }
}
