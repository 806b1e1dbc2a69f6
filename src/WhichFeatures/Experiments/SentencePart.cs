namespace WhichFeatures.Experiments;

/// <summary>One piece of a criterion sentence: exactly one of text, a threshold or a placeholder.</summary>
internal readonly record struct SentencePart(string? Text, Threshold? Threshold, Placeholder? Placeholder);
