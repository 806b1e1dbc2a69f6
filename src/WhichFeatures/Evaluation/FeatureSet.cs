using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// Plain features of one split with their labels: what <see cref="ProbeSuite"/> probes. Where the features come
/// from (an encoder, a file of raw embeddings) is the caller's business.
/// </summary>
/// <param name="Name">What the rows are (a dataset name, a file), for error messages.</param>
/// <param name="Features">[N, D] features, one row per example.</param>
/// <param name="Labels">Label sets by name, each int64 [N] with values in [0, classes).</param>
/// <param name="ClassCounts">Number of classes of each label set; a label missing here counts max label + 1 over both splits.</param>
public sealed record FeatureSet(string Name, Tensor Features, IReadOnlyDictionary<string, Tensor> Labels, IReadOnlyDictionary<string, int>? ClassCounts = null)
{
    /// <summary>The declared number of classes of <paramref name="label"/>, or null when not declared.</summary>
    public int? Classes(string label) => ClassCounts is not null && ClassCounts.TryGetValue(label, out var k) ? k : null;
}
