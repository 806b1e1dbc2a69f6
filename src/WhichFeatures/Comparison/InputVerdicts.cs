using WhichFeatures.Verdicts;

namespace WhichFeatures.Comparison;

/// <summary>
/// The encoder-level verdicts of one input as its results.json records them (text from Verdicts/, never recomputed):
/// learnt (training runs only), training health, class collapse with its numbers, feature suppression overall, and
/// every verdict sentence in the order its own report gives them.
/// </summary>
/// <param name="Learnt">"learnt", "did not learn", "undecided"; null when the input does not judge it (a diagnosis).</param>
/// <param name="Health">The last epoch's training health ("ok" or its problems); null for a diagnosis.</param>
/// <param name="Collapse">The class-collapse verdict with its within-class subclass numbers, or null.</param>
/// <param name="CollapseText">The collapse verdict in words ("not judged" without a subclass).</param>
/// <param name="Suppression">The feature-suppression verdict over all labels ("suppression found", "not found", ...).</param>
/// <param name="Sentences">Every verdict sentence, as recorded.</param>
public sealed record InputVerdicts(string? Learnt, string? Health, CollapseVerdict? Collapse, string CollapseText, string Suppression, IReadOnlyList<string> Sentences);
