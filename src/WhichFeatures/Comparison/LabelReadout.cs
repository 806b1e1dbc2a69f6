namespace WhichFeatures.Comparison;

/// <summary>
/// One label (or diagnosed attribute) of one input, with the numbers and verdict its results.json records; nothing
/// here is recomputed.
/// </summary>
/// <param name="Label">The label: class, subclass, randbit, or a diagnosed attribute.</param>
/// <param name="Categories">Its number of training categories (a label with another count is another label).</param>
/// <param name="Probe">Linear probe accuracy on held-out rows.</param>
/// <param name="Knn">kNN accuracy on held-out rows, where it was scored.</param>
/// <param name="Reference">The reference's accuracy, as recorded: the random-init or baseline probe, else chance.</param>
/// <param name="ReferenceName">What <paramref name="Reference"/> is: "random initialisation", "the baseline embeddings", "chance".</param>
/// <param name="Verdict">The recorded verdict in words (Verdicts/), e.g. "not suppressed" or "well above chance; not suppressed".</param>
/// <param name="Sentence">The recorded verdict sentence, for the input's own section.</param>
public sealed record LabelReadout(string Label, int Categories, double Probe, double? Knn, double? Reference, string ReferenceName, string Verdict, string Sentence);
