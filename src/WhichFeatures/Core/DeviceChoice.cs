using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhichFeatures.Core;

/// <summary>
/// A <c>--device</c> value: a <see cref="DeviceKind"/> and, for a numbered GPU (<c>cuda:N</c>), its index. Keeps the
/// text it was parsed from (e.g. "CPU" as an old run typed it), which is what <see cref="ToString"/> returns and what
/// config.json stores: <c>train --resume</c> compares config.json with the checkpoint's copy byte for byte.
/// Equal when kind, index and text are equal (as the strings it replaces were).
/// </summary>
[JsonConverter(typeof(DeviceChoiceJsonConverter))]
public readonly record struct DeviceChoice
{
    private readonly string? _text;

    private DeviceChoice(DeviceKind kind, int? index, string text) => (Kind, Index, _text) = (kind, index, text);

    /// <summary>The kind of device (a numbered GPU is <see cref="DeviceKind.Cuda"/>).</summary>
    public DeviceKind Kind { get; }
    /// <summary>The GPU index of <c>cuda:N</c>; null for auto, cpu and cuda.</summary>
    public int? Index { get; }
    /// <summary>The text the value was parsed from, unchanged ("auto" for the default value).</summary>
    public string Text => _text ?? DeviceKinds.DefaultName;

    /// <summary>CUDA when available, else the CPU ("auto"; the default).</summary>
    public static DeviceChoice Auto { get; } = Named(DeviceKind.Auto);
    /// <summary>The CPU ("cpu").</summary>
    public static DeviceChoice Cpu { get; } = Named(DeviceKind.Cpu);
    /// <summary>The first CUDA GPU ("cuda").</summary>
    public static DeviceChoice Cuda { get; } = Named(DeviceKind.Cuda);

    private static DeviceChoice Named(DeviceKind kind) => new(kind, null, DeviceKinds.All.NameOf(kind));

    /// <summary>The names the help and errors list: the <see cref="DeviceKinds.All"/> names and cuda:N.</summary>
    public static string Expected => string.Join(", ", DeviceKinds.All.Names.Append(DeviceKinds.All.NameOf(DeviceKind.Cuda) + ":N"));

    /// <summary>
    /// Parses auto, cpu, cuda or cuda:N (any case, surrounding spaces ignored; empty is auto, as it always was),
    /// keeping <paramref name="text"/> itself as <see cref="Text"/>.
    /// </summary>
    /// <exception cref="UserInputException">Anything else; one line naming <paramref name="optionName"/> and the value.</exception>
    public static DeviceChoice Parse(string? text, string optionName = "--device")
    {
        var key = (text ?? "").Trim().ToLowerInvariant();
        if (key.Length == 0) return new(DeviceKind.Auto, null, text ?? "");
        if (DeviceKinds.All.IsKnown(key)) return new(DeviceKinds.All.Parse(key), null, text!);
        var prefix = DeviceKinds.All.NameOf(DeviceKind.Cuda) + ":";
        if (key.StartsWith(prefix, StringComparison.Ordinal)
            && key.Length > prefix.Length && key[prefix.Length..].All(char.IsAsciiDigit)
            && int.TryParse(key[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new(DeviceKind.Cuda, index, text!);
        throw new UserInputException($"{optionName} {text}: unknown device; expected one of: {Expected}.");
    }

    /// <summary>The text it was parsed from.</summary>
    public override string ToString() => Text;

    /// <summary>Same kind, index and text.</summary>
    public bool Equals(DeviceChoice other) => Kind == other.Kind && Index == other.Index && Text == other.Text;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Index, Text);
}

/// <summary>Reads and writes a <see cref="DeviceChoice"/> as the exact string it was parsed from.</summary>
public sealed class DeviceChoiceJsonConverter : JsonConverter<DeviceChoice>
{
    /// <inheritdoc/>
    public override DeviceChoice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"--device: expected a string; expected one of: {DeviceChoice.Expected}.");
        try { return DeviceChoice.Parse(reader.GetString()); }
        catch (UserInputException e) { throw new JsonException(e.Message, e); }
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DeviceChoice value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
