using System.Text.Json;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Comparison;

/// <summary>
/// What an input's labels were measured on, as one string; two inputs share a table only when these are equal. A
/// training run's is its dataset, what "class" means in it (built-in superclasses, a superclass map) and whether it
/// was evaluated on a validation split. Sizes, seeds and RandBit are left out: they change the noise or add a label
/// (a label not all inputs have is left out on its own), not what a shared label's accuracy means.
/// </summary>
public static class DatasetIdentity
{
    /// <summary>The identity of a training run's data.</summary>
    public static string Of(TrainConfig c) =>
        c.Dataset
        + (c.Superclasses ? " (built-in superclasses)" : "")
        + (c.SuperclassMap is { } map ? $" (superclass map {Path.GetFileName(map)})" : "")
        + (c.ValidationSize > 0 ? $" (validation split of {c.ValidationSize})" : "");

    /// <summary>
    /// The identity of a diagnosis from its config.json: <c>--run</c> → that run's (when its folder is still there),
    /// <c>--onnx</c> → its dataset, <c>--embeddings</c> → its labels file.
    /// </summary>
    public static string OfDiagnosis(string diagnosisFolder)
    {
        var path = Path.Combine(diagnosisFolder, "config.json");
        if (!File.Exists(path)) return "unknown (no config.json)";
        JsonElement root;
        try { root = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (JsonException) { return "unknown (config.json unreadable)"; }
        if (Text(root, "run") is { } run) return OfRunFolder(run, diagnosisFolder);
        if (Text(root, "onnx") is not null && Text(root, "dataset") is { } dataset)
            return dataset == "image-folder" ? $"image-folder {Text(root, "dataDir")}" : dataset;
        if (Text(root, "labels") is { } labels)
            return $"labels {Path.GetFileName(labels)}" + (Text(root, "testLabels") is { } test ? $" / {Path.GetFileName(test)}" : "");
        return "unknown (config.json names no run, dataset or labels)";
    }

    // diagnose records --run as typed: relative to where it ran, which is often the diagnosis folder's parent.
    private static string OfRunFolder(string run, string diagnosisFolder)
    {
        var path = new[] { run, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(diagnosisFolder)) ?? "", run) }
            .Select(r => Path.Combine(r, "config.json")).FirstOrDefault(File.Exists);
        if (path is null) return $"the data of run {run} (its folder is not found)";
        try { return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), RunJson.Options) is { } c ? Of(c) : $"the data of run {run}"; }
        catch (JsonException) { return $"the data of run {run} (config.json unreadable)"; }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
