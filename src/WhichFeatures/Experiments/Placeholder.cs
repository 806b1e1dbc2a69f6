namespace WhichFeatures.Experiments;

/// <summary>
/// A number a criterion sentence states that is known only when the claim is decided (the seed count, an embedding
/// size): written into the sentence as <c>{Name}</c> by <see cref="SentenceTemplate"/>, filled by
/// <see cref="Criterion{T}.Sentence(ValueTuple{Placeholder, object}[])"/>. A field of this type, not a string, names it,
/// so a misspelt name does not compile.
/// </summary>
/// <param name="Name">How the sentence names it when a value is missing.</param>
public sealed record Placeholder(string Name);
