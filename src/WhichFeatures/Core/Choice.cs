namespace WhichFeatures.Core;

/// <summary>One named value of a <see cref="ChoiceSet{T}"/>.</summary>
/// <param name="Name">The canonical name: what config.json stores and what the CLI shows.</param>
/// <param name="Value">What the name stands for.</param>
/// <param name="Description">A few words for the CLI help.</param>
/// <param name="Aliases">Other accepted spellings on the command line (never stored).</param>
public sealed record Choice<T>(string Name, T Value, string Description, params string[] Aliases);

/// <summary>
/// The one definition of an option with named values (a loss, a model, a head, an optimiser, an augmentation preset):
/// the CLI help, validation, parsing and error messages all read it, so adding a value is one line.
/// </summary>
/// <typeparam name="T">What a name stands for (an enum value, a factory, a preset).</typeparam>
public sealed class ChoiceSet<T>
{
    /// <summary>A set of choices for <paramref name="option"/> (e.g. "--model"), a <paramref name="noun"/> for messages.</summary>
    public ChoiceSet(string option, string noun, params Choice<T>[] choices)
    {
        if (choices.Length == 0) throw new ArgumentException("a choice set needs at least one choice", nameof(choices));
        var all = choices.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        if (all.Count != all.Distinct().Count()) throw new ArgumentException($"{option}: a name is given twice", nameof(choices));
        Option = option;
        Noun = noun;
        Choices = choices;
    }

    /// <summary>The CLI option, e.g. "--model".</summary>
    public string Option { get; }
    /// <summary>What a value is, for messages ("model", "projection head").</summary>
    public string Noun { get; }
    /// <summary>The choices in the order the help lists them.</summary>
    public IReadOnlyList<Choice<T>> Choices { get; }
    /// <summary>The canonical names.</summary>
    public IReadOnlyList<string> Names => Choices.Select(c => c.Name).ToList();

    /// <summary>CLI help: "a (what a is), b (what b is) or c (what c is)."</summary>
    public string Help
    {
        get
        {
            var items = Choices.Select(c => $"{c.Name} ({c.Description})").ToList();
            return (items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1]) + ".";
        }
    }

    /// <summary>Whether <paramref name="name"/> is a canonical name, exactly as config.json stores it.</summary>
    public bool IsKnown(string? name) => Choices.Any(c => c.Name == name);

    /// <summary>The choice named <paramref name="text"/> (canonical name or alias, case-insensitive, trimmed).</summary>
    /// <exception cref="UserInputException">Unknown name; the message names the option and lists the names.</exception>
    public Choice<T> Find(string? text)
    {
        var key = (text ?? "").Trim().ToLowerInvariant();
        return Choices.FirstOrDefault(c => c.Name == key || c.Aliases.Contains(key)) ?? throw Unknown(text);
    }

    /// <summary>The value named <paramref name="text"/>; see <see cref="Find"/>.</summary>
    public T Parse(string? text) => Find(text).Value;

    /// <summary>The canonical name of <paramref name="value"/>.</summary>
    public string NameOf(T value) => Choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, value)).Name;

    /// <summary>The one-line error for an unknown name.</summary>
    public UserInputException Unknown(string? text) =>
        new($"{Option} {text}: unknown {Noun}; expected one of: {string.Join(", ", Names)}.");
}
