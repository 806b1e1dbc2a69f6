using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Comparison;

/// <summary>
/// Tells what an input folder is by the files the verbs write: sweep.json and manifest.jsonl (<c>reproduce</c>, a
/// sweep); a results.json with "probes" (<c>train</c>) or with suite "diagnose" (<c>diagnose</c>); config.json and
/// metrics.csv without results.json (a training run not finished, or a suite unit's train/ folder). Anything else is
/// a <see cref="UserInputException"/> naming the folder and what was expected.
/// </summary>
public static class InputFolderKind
{
    /// <summary>What every error says was expected.</summary>
    public const string Expected = "expected the --out folder of train, diagnose or reproduce, or a sweep folder";

    /// <summary>The kind of <paramref name="folder"/>.</summary>
    public static ComparedInputKind Detect(string folder)
    {
        if (File.Exists(folder)) throw new UserInputException($"{folder}: is a file; {Expected}.");
        if (!Directory.Exists(folder)) throw new UserInputException($"{folder}: folder not found; {Expected}.");
        string Has(string file) => Path.Combine(folder, file);
        var results = Has("results.json");
        if (File.Exists(Has(SweepFolder.PlanFile)) && File.Exists(Has(SweepFolder.ManifestFile)))
            return File.Exists(results) && CommandOf(ReadRoot(results)).Contains(" reproduce", StringComparison.Ordinal) ? ComparedInputKind.Reproduce : ComparedInputKind.Sweep;
        if (File.Exists(results))
        {
            var root = ReadRoot(results);
            if (root.TryGetProperty("probes", out _) && root.TryGetProperty("config", out _)) return ComparedInputKind.TrainingRun;
            if (root.TryGetProperty("suite", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "diagnose") return ComparedInputKind.Diagnosis;
            throw new UserInputException($"{results}: neither a training run's results (\"probes\") nor a diagnosis (suite \"diagnose\"); {Expected}.");
        }
        if (File.Exists(Has("config.json")) && File.Exists(Has("metrics.csv"))) return ComparedInputKind.TrainingRun;
        throw new UserInputException($"{folder}: no results.json, no config.json with metrics.csv, no sweep.json with manifest.jsonl; {Expected}.");
    }

    /// <summary>The root object of a results.json; unreadable JSON is a <see cref="UserInputException"/> naming the file.</summary>
    public static JsonElement ReadRoot(string path)
    {
        try
        {
            var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root : throw new UserInputException($"{path}: not a JSON object; {Expected}.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: unreadable ({SweepFolder.OneLine(e.Message)}); {Expected}.", e);
        }
    }

    // The command line results.json's provenance records ("whichfeatures reproduce ..." or "... sweep collect ...").
    private static string CommandOf(JsonElement root) =>
        root.TryGetProperty("provenance", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()! : "";
}
