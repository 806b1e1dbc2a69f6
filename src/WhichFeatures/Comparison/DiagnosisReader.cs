using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Comparison;

/// <summary>
/// Reads a <c>diagnose</c> folder: its results.json claims (<c>attribute:&lt;name&gt;</c>, <c>class-collapse</c>,
/// <c>feature-suppression</c>), each with the recorded verdict, values and typed evidence (docs/diagnose.md), and its maps.
/// </summary>
public static class DiagnosisReader
{
    /// <summary>The id prefix of an attribute's claim.</summary>
    public const string AttributePrefix = "attribute:";

    /// <summary>Reads <paramref name="folder"/> as the input called <paramref name="name"/>.</summary>
    public static ComparedInput Read(string folder, string name)
    {
        var path = Path.Combine(folder, "results.json");
        var r = ReadResults(path);
        var claims = r.Claims.ToDictionary(c => c.Id);
        return new ComparedInput(name, folder, ComparedInputKind.Diagnosis)
        {
            Dataset = DatasetIdentity.OfDiagnosis(folder),
            Labels = r.Claims.Where(c => c.Id.StartsWith(AttributePrefix, StringComparison.Ordinal)).Select(c => Attribute(c, path)).ToList(),
            Verdicts = new InputVerdicts(null, null, Evidence<CollapseVerdict>(claims.GetValueOrDefault("class-collapse")),
                claims.GetValueOrDefault("class-collapse")?.Verdict ?? "not judged",
                claims.GetValueOrDefault("feature-suppression")?.Verdict ?? "not judged", r.Claims.Select(c => c.Statement).ToList()),
            Maps = MapImages.Find(folder),
            OwnPlots = File.Exists(Path.Combine(folder, "probe_accuracy.png")) ? ["probe_accuracy.png"] : [],
            Notes = ["a diagnosis has no training curves"],
        };
    }

    private static RunWriter.ResultsJson ReadResults(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunWriter.ResultsJson>(File.ReadAllText(path), RunJson.Options) is { Claims: not null } r ? r
                : throw new UserInputException($"{path}: no claims; {InputFolderKind.Expected}.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a diagnosis's results ({SweepFolder.OneLine(e.Message)}); {InputFolderKind.Expected}.", e);
        }
    }

    // The evidence of an attribute claim: its two typed verdicts (Diagnosis/DiagnosisReport writes { Readability, Suppression }).
    private sealed record AttributeEvidence(ReadabilityVerdict? Readability, SuppressionVerdict? Suppression);

    // Probe and kNN as recorded; the reference is the reference encoder's probe when there is one, else chance.
    // Categories: chance is 1 / (training categories), so its inverse gives them back exactly.
    private static LabelReadout Attribute(RunWriter.ClaimJson c, string path)
    {
        double Mean(string key) => c.Values.TryGetValue(key, out var s) ? s.Mean
            : throw new UserInputException($"{path}: claim {c.Id} has no value '{key}'; {InputFolderKind.Expected}.");
        double chance = Mean("chance");
        var evidence = Evidence<AttributeEvidence>(c);
        double? reference = c.Values.TryGetValue("reference_probe_accuracy", out var rp) ? rp.Mean : null;
        var kind = reference is null ? ReferenceKind.Chance : evidence?.Suppression?.Reference ?? ReferenceKind.Baseline;
        return new LabelReadout(c.Id[AttributePrefix.Length..], (int)Math.Round(1 / chance), Mean("probe_accuracy"),
            c.Values.TryGetValue("knn_accuracy", out var k) ? k.Mean : null, reference ?? chance, kind.Describe(), c.Verdict ?? "", c.Statement);
    }

    private static T? Evidence<T>(RunWriter.ClaimJson? c) where T : class
    {
        if (c?.Evidence is not JsonElement e || e.ValueKind != JsonValueKind.Object) return null;
        try { return e.Deserialize<T>(RunJson.Options); }
        catch (JsonException) { return null; }
    }
}
