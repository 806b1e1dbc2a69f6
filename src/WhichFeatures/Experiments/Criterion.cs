using System.Globalization;
using System.Text.RegularExpressions;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments;

/// <summary>
/// A claim's pass criterion as data: named <see cref="Threshold"/>s, one sentence template that states them, and
/// the check over the claim's decisive numbers (<typeparamref name="T"/>), which reads its thresholds from here.
/// The sentence in the report and the <c>holds</c> decision therefore cannot disagree, and the check can be
/// tested on hand-made inputs on both sides of each threshold.
/// </summary>
/// <typeparam name="T">What the claim is decided on (per seed, or the means over seeds).</typeparam>
public sealed partial class Criterion<T>
{
    private readonly Func<Criterion<T>, T, bool> _check;
    private readonly Dictionary<string, Threshold> _thresholds;

    /// <summary>A criterion; every threshold must appear in <paramref name="template"/> as <c>{name}</c>.</summary>
    /// <param name="template">The sentence, with <c>{name}</c> for each threshold and for each run-time value given to <see cref="Sentence"/>.</param>
    /// <param name="check">Whether the criterion holds for one input; reads thresholds through the criterion's indexer (<c>c[Peak]</c>).</param>
    /// <param name="thresholds">The named thresholds.</param>
    public Criterion(string template, Func<Criterion<T>, T, bool> check, params Threshold[] thresholds)
    {
        Template = template;
        _check = check;
        _thresholds = thresholds.ToDictionary(t => t.Name);
        foreach (var t in thresholds)
            if (!template.Contains("{" + t.Name + "}", StringComparison.Ordinal))
                throw new ArgumentException($"criterion sentence does not state threshold {{{t.Name}}}: {template}", nameof(template));
    }

    /// <summary>The sentence with placeholders.</summary>
    public string Template { get; }
    /// <summary>
    /// The value of <paramref name="threshold"/>, one of this criterion's own: a check reads its thresholds through
    /// named fields, so a misspelt name does not compile, and one the sentence does not state throws.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The criterion was not built with <paramref name="threshold"/>.</exception>
    public double this[Threshold threshold] => Own(threshold).Value;

    /// <summary>A plot's reference line at <paramref name="threshold"/>, labelled as the sentence writes it.</summary>
    public ReferenceLine Line(Threshold threshold) => new(Own(threshold).Text, Own(threshold).Value);

    private Threshold Own(Threshold threshold) =>
        _thresholds.TryGetValue(threshold.Name, out var t) && t == threshold ? t : throw new KeyNotFoundException($"criterion has no threshold '{threshold.Name}'");

    /// <summary>Whether the criterion holds for <paramref name="input"/>.</summary>
    public bool Holds(T input) => _check(this, input);

    /// <summary>Whether it holds for every input (criteria "required on every seed").</summary>
    public bool HoldsOnEvery(IEnumerable<T> inputs) => inputs.All(Holds);

    /// <summary>
    /// The criterion sentence: thresholds written in their formats, run-time values (seed count, sizes) from
    /// <paramref name="values"/> (numbers in invariant culture). Every placeholder must be filled.
    /// </summary>
    public string Sentence(params (string Name, object Value)[] values)
    {
        var given = values.ToDictionary(v => v.Name, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "");
        return Placeholder().Replace(Template, m =>
        {
            var name = m.Groups[1].Value;
            if (_thresholds.TryGetValue(name, out var t)) return t.Text;
            return given.TryGetValue(name, out var v) ? v : throw new ArgumentException($"criterion sentence needs a value for {{{name}}}");
        });
    }

    [GeneratedRegex(@"\{([a-z][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
