using System.CommandLine;
using System.CommandLine.Parsing;

namespace WhichFeatures.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line a user needs: an unknown option or verb with the
/// closest known one ("did you mean --superclasses?"), a stray value, or the parser's own first message, always
/// followed by where to find the options.
/// </summary>
public static class ParseErrorMessage
{
    /// <summary>The single error line for a failed parse.</summary>
    public static string For(ParseResult parse, RootCommand root)
    {
        var command = parse.CommandResult.Command;
        string help = $"run 'whichfeatures {(command == root ? "" : command.Name + " ")}--help' for the options.";
        var unmatched = parse.UnmatchedTokens.ToList();
        var unknown = unmatched.FirstOrDefault(t => t.StartsWith('-'));
        if (unknown is not null)
        {
            var name = unknown.Split('=')[0];
            var known = command.Options.Concat(root.Options.Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)).Where(a => a.StartsWith("--", StringComparison.Ordinal)).Distinct();
            var suggestion = Closest(name, known);
            return $"error: unknown option {name}{(suggestion is null ? "" : $"; did you mean {suggestion}?")} ({help})";
        }
        if (unmatched.Count > 0)
        {
            var token = unmatched[0];
            if (command == root)
            {
                var suggestion = Closest(token, root.Subcommands.Select(c => c.Name));
                return $"error: unknown command '{token}'{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")} ({help})";
            }
            return $"error: unexpected value '{token}': every value follows its option (e.g. --epochs 20) ({help})";
        }
        var first = parse.Errors.FirstOrDefault()?.Message ?? "could not parse the command line";
        return $"error: {first.TrimEnd('.')} ({help})";
    }

    /// <summary>The candidate nearest to <paramref name="given"/> by edit distance, if it is close (at most 1/3 of its length, minimum 2), or one that starts with it.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: EditDistance(given.ToLowerInvariant(), c.ToLowerInvariant()))).OrderBy(t => t.d).ThenBy(t => t.c, StringComparer.Ordinal).FirstOrDefault();
        if (best.c is null) return null;
        int limit = Math.Max(2, given.TrimStart('-').Length / 3);
        if (best.d <= limit) return best.c;
        return candidates.Where(c => given.Length >= 4 && c.StartsWith(given, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions; and a swap of two neighbours counts 1).</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
