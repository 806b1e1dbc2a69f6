using System.Runtime.CompilerServices;

namespace WhichFeatures.Experiments;

/// <summary>
/// A criterion's sentence as written in code: an interpolated string whose holes are the criterion's
/// <see cref="Threshold"/>s, <see cref="Placeholder"/>s for run-time values, or fixed text (a layer name). Any other
/// hole does not compile, and the thresholds the check may read are exactly the ones the sentence states.
/// </summary>
[InterpolatedStringHandler]
public ref struct SentenceTemplate
{
    private readonly List<SentencePart> _parts;

    /// <summary>Called by the compiler for <c>$"..."</c> given where a <see cref="SentenceTemplate"/> is expected.</summary>
    public SentenceTemplate(int literalLength, int formattedCount) => _parts = new List<SentencePart>(2 * formattedCount + 1);

    /// <summary>Text as written.</summary>
    public readonly void AppendLiteral(string text) => _parts.Add(new SentencePart(text, null, null));

    /// <summary>Fixed text from a constant (e.g. the layer a claim is decided on).</summary>
    public readonly void AppendFormatted(string text) => _parts.Add(new SentencePart(text, null, null));

    /// <summary>A threshold, written in its format.</summary>
    /// <exception cref="ArgumentNullException">The threshold is null: a static field declared after the criterion that states it.</exception>
    public readonly void AppendFormatted(Threshold threshold) => _parts.Add(new SentencePart(null, threshold ?? throw new ArgumentNullException(nameof(threshold), NullField), null));

    /// <summary>A value filled in when the sentence is written.</summary>
    /// <exception cref="ArgumentNullException">The placeholder is null: a static field declared after the criterion that states it.</exception>
    public readonly void AppendFormatted(Placeholder placeholder) => _parts.Add(new SentencePart(null, null, placeholder ?? throw new ArgumentNullException(nameof(placeholder), NullField)));

    // Static fields are set in the order they are written, so a hole read before its field is set would be null and
    // vanish from the sentence.
    private const string NullField = "a criterion sentence's threshold or placeholder is null; declare its field before the criterion";

    internal readonly IReadOnlyList<SentencePart> Parts => _parts;
}
