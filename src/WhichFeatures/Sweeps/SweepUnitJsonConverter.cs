using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhichFeatures.Sweeps;

/// <summary>Reads and writes a <see cref="SweepUnit"/> as its <see cref="ManifestLine"/>, wherever it is serialised.</summary>
public sealed class SweepUnitJsonConverter : JsonConverter<SweepUnit>
{
    /// <inheritdoc/>
    public override SweepUnit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize<ManifestLine>(ref reader, options) ?? throw new JsonException("null unit")).ToUnit();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, SweepUnit value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, ManifestLine.From(value), options);
}
