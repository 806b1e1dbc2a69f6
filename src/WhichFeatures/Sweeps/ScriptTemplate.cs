using System.Text.RegularExpressions;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Fills the scheduler script templates of <see cref="SweepScripts"/>. <c>{{name}}</c> is replaced by its value;
/// a line holding an optional placeholder <c>{{name?}}</c> is kept (with the value in its place) only when the value
/// is not null, so a template shows every line the script can have.
/// </summary>
public static partial class ScriptTemplate
{
    /// <summary><paramref name="template"/> with every placeholder replaced from <paramref name="values"/>; a missing name throws.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string?> values)
    {
        // Templates are written with \n; a checkout with CRLF source files must not change the scripts.
        var lines = template.ReplaceLineEndings("\n").Split('\n');
        var kept = lines.Where(line => Placeholder().Matches(line).All(m => m.Groups[2].Value != "?" || Value(values, m) is not null));
        // One pass per line: a value that happens to contain {{...}} is not expanded again.
        return string.Join('\n', kept.Select(line => Placeholder().Replace(line, m => Value(values, m) ?? "")));
    }

    private static string? Value(IReadOnlyDictionary<string, string?> values, Match m) =>
        values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new KeyNotFoundException($"template placeholder {m.Value} has no value");

    [GeneratedRegex(@"\{\{([A-Za-z]+)(\??)\}\}")]
    private static partial Regex Placeholder();
}
