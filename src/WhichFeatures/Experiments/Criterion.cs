using System.Globalization;
using System.Text;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments;

/// <summary>
/// A claim's pass criterion as data: one sentence (<see cref="SentenceTemplate"/>) that states its named
/// <see cref="Threshold"/>s, and the check over the claim's decisive numbers (<typeparamref name="T"/>), which reads
/// its thresholds from here. The sentence in the report and the <c>holds</c> decision therefore cannot disagree, and
/// the check can be tested on hand-made inputs on both sides of each threshold.
/// </summary>
/// <typeparam name="T">What the claim is decided on (per seed, or the means over seeds).</typeparam>
public sealed class Criterion<T>
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
        return Render(given);
    }

    private string Render(Dictionary<Placeholder, object> given)
    {
        var sentence = new StringBuilder();
        foreach (var part in _parts)
            sentence.Append(part switch
            {
                { Threshold: { } t } => t.Text,
                { Placeholder: { } slot } => given.TryGetValue(slot, out var v)
                    ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""
                    : throw new ArgumentException($"criterion sentence needs a value for {{{slot.Name}}}"),
                _ => part.Text,
            });
        return sentence.ToString();
    }
}
