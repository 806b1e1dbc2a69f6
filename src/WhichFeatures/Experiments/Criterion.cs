using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments;

/// <summary>
/// A claim's pass criterion as data: one sentence (<see cref="SentenceTemplate"/>) that states its named
/// <see cref="Threshold"/>s, and the check over the claim's decisive numbers (<typeparamref name="T"/>), which reads
/// its thresholds from here. The sentence in the report and the <c>holds</c> decision therefore cannot disagree, and
/// the check can be tested on hand-made inputs on both sides of each threshold.
/// </summary>
/// <typeparam name="T">What the claim is decided on (per seed, or the means over seeds).</typeparam>
public sealed partial class Criterion<T>
{
    private readonly Func<Criterion<T>, T, bool> _check;
    private readonly IReadOnlyList<SentencePart> _parts;
    private readonly Dictionary<string, Threshold> _thresholds;

    /// <summary>A criterion whose thresholds are the ones <paramref name="sentence"/> states.</summary>
    /// <param name="sentence">The sentence, e.g. <c>$"accuracy ≥ {Peak} over {Seeds} seeds"</c> with a <see cref="Threshold"/> and a <see cref="Placeholder"/>.</param>
    /// <param name="check">Whether the criterion holds for one input; reads thresholds through the criterion's indexer (<c>c[Peak]</c>).</param>
    /// <exception cref="ArgumentException">Two different thresholds share a name.</exception>
    public Criterion(SentenceTemplate sentence, Func<Criterion<T>, T, bool> check)
    {
        _check = check;
        _parts = sentence.Parts;
        _thresholds = [];
        foreach (var t in _parts.Select(p => p.Threshold).OfType<Threshold>())
            if (!_thresholds.TryAdd(t.Name, t) && _thresholds[t.Name] != t)
                throw new ArgumentException($"criterion sentence states two thresholds named {{{t.Name}}}: {_thresholds[t.Name]} and {t}", nameof(sentence));
    }

    /// <summary>
    /// The untyped form, kept for Experiments/Real/JointRandBitExperiment until it moves to <see cref="SentenceTemplate"/>:
    /// every threshold must appear in <paramref name="template"/> as <c>{name}</c>; any other <c>{name}</c> is a run-time value.
    /// </summary>
    public Criterion(string template, Func<Criterion<T>, T, bool> check, params Threshold[] thresholds)
    {
        _check = check;
        _thresholds = thresholds.ToDictionary(t => t.Name);
        foreach (var t in thresholds)
            if (!template.Contains("{" + t.Name + "}", StringComparison.Ordinal))
                throw new ArgumentException($"criterion sentence does not state threshold {{{t.Name}}}: {template}", nameof(template));
        _parts = Parse(template, _thresholds);
    }

    /// <summary>
    /// The value of <paramref name="threshold"/>, one of this criterion's own: a check reads its thresholds through
    /// named fields, so a misspelt name does not compile, and one the sentence does not state throws.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The criterion's sentence does not state <paramref name="threshold"/>.</exception>
    public double this[Threshold threshold] => Own(threshold).Value;

    /// <summary>A plot's reference line at <paramref name="threshold"/>, labelled as the sentence writes it.</summary>
    public ReferenceLine Line(Threshold threshold) => new(Own(threshold).Text, Own(threshold).Value);

    private Threshold Own(Threshold threshold) =>
        _thresholds.TryGetValue(threshold.Name, out var t) && t == threshold ? t : throw new KeyNotFoundException($"criterion has no threshold '{threshold.Name}'");

    /// <summary>Whether the criterion holds for <paramref name="input"/>.</summary>
    public bool Holds(T input) => _check(this, input);

    /// <summary>Whether it holds for every input (criteria "required on every seed").</summary>
    public bool HoldsOnEvery(IEnumerable<T> inputs) => inputs.All(Holds);

    /// <summary>The criterion sentence of a criterion without run-time values.</summary>
    /// <exception cref="ArgumentException">The sentence has a <see cref="Placeholder"/>.</exception>
    public string Sentence() => Sentence(Array.Empty<(Placeholder, object)>());

    /// <summary>
    /// The criterion sentence: thresholds written in their formats, run-time values (seed count, sizes) from
    /// <paramref name="values"/> (numbers in invariant culture).
    /// </summary>
    /// <exception cref="ArgumentException">A placeholder of the sentence has no value, or a value is for a placeholder the sentence lacks.</exception>
    public string Sentence(params (Placeholder Slot, object Value)[] values)
    {
        var given = values.ToDictionary(v => v.Slot, v => v.Value);
        foreach (var slot in given.Keys.Where(s => !_parts.Any(p => p.Placeholder == s)))
            throw new ArgumentException($"criterion sentence has no {{{slot.Name}}}");
        return Render(slot => given.TryGetValue(slot, out var v) ? v : null);
    }

    /// <summary>The untyped form of <see cref="Sentence(ValueTuple{Placeholder, object}[])"/>, for the untyped constructor's criteria; values the sentence lacks are ignored.</summary>
    public string Sentence(params (string Name, object Value)[] values)
    {
        var given = values.ToDictionary(v => v.Name, v => v.Value);
        return Render(slot => given.TryGetValue(slot.Name, out var v) ? v : null);
    }

    private string Render(Func<Placeholder, object?> valueOf)
    {
        var sentence = new StringBuilder();
        foreach (var part in _parts)
            sentence.Append(part switch
            {
                { Threshold: { } t } => t.Text,
                { Placeholder: { } slot } => valueOf(slot) is { } v
                    ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""
                    : throw new ArgumentException($"criterion sentence needs a value for {{{slot.Name}}}"),
                _ => part.Text,
            });
        return sentence.ToString();
    }

    // "{name}" is a threshold of the criterion or a run-time value; the rest is text.
    private static List<SentencePart> Parse(string template, Dictionary<string, Threshold> thresholds)
    {
        var parts = new List<SentencePart>();
        int at = 0;
        foreach (Match m in PlaceholderPattern().Matches(template))
        {
            parts.Add(new SentencePart(template[at..m.Index], null, null));
            var name = m.Groups[1].Value;
            parts.Add(thresholds.TryGetValue(name, out var t) ? new SentencePart(null, t, null) : new SentencePart(null, null, new Placeholder(name)));
            at = m.Index + m.Length;
        }
        parts.Add(new SentencePart(template[at..], null, null));
        return parts;
    }

    [GeneratedRegex(@"\{([a-z][a-z0-9_]*)\}")]
    private static partial Regex PlaceholderPattern();
}
