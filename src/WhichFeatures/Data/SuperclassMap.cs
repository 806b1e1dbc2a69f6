using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// Groups the classes of a dataset into superclasses: after <see cref="Apply"/>, <see cref="LabelKeys.Class"/> is
/// the superclass and <see cref="LabelKeys.Subclass"/> the original class (docs/paper.md §5: SCL on superclasses,
/// probe the subclass). Built in: CIFAR-10's vehicles / animals and MNIST's digits 0-4 / 5-9; any other from a JSON file.
/// </summary>
/// <remarks>
/// JSON format: an object, superclass name -> array of class ids (or class names), e.g.
/// <c>{ "vehicles": [0, 1, 8, 9], "animals": [2, 3, 4, 5, 6, 7] }</c>. Every class must appear exactly once.
/// Superclass ids follow the order of the keys in the file.
/// </remarks>
public sealed class SuperclassMap
{
    private readonly int[] _superclassOf;

    /// <summary>A map from class id to superclass id.</summary>
    /// <param name="names">Superclass names (index = superclass id).</param>
    /// <param name="superclassOf">For each class id, its superclass id.</param>
    public SuperclassMap(IReadOnlyList<string> names, IReadOnlyList<int> superclassOf)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(superclassOf);
        if (names.Count == 0) throw new ArgumentException("at least one superclass is needed", nameof(names));
        for (int c = 0; c < superclassOf.Count; c++)
            if (superclassOf[c] < 0 || superclassOf[c] >= names.Count)
                throw new ArgumentException($"class {c} maps to superclass {superclassOf[c]}; expected 0 to {names.Count - 1}", nameof(superclassOf));
        Names = names.ToArray();
        _superclassOf = superclassOf.ToArray();
    }

    /// <summary>Superclass names (index = superclass id).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>For each class id, its superclass id.</summary>
    public IReadOnlyList<int> SuperclassOf => _superclassOf;

    /// <summary>The number of (sub)classes mapped.</summary>
    public int ClassCount => _superclassOf.Length;

    /// <summary>CIFAR-10's two superclasses: vehicles = airplane, automobile, ship, truck (0, 1, 8, 9); animals = the other 6.</summary>
    public static SuperclassMap Cifar10VehiclesAnimals { get; } =
        new(new[] { "vehicles", "animals" }, new[] { 0, 0, 1, 1, 1, 1, 1, 1, 0, 0 });

    /// <summary>MNIST's two superclasses: digits 0-4 and digits 5-9.</summary>
    public static SuperclassMap MnistLowHigh { get; } =
        new(new[] { "digits 0-4", "digits 5-9" }, new[] { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 });

    /// <summary>The built-in map of <paramref name="dataset"/> (cifar10: vehicles / animals; mnist: 0-4 / 5-9), or null if it has none.</summary>
    /// <param name="dataset">A canonical dataset name of <see cref="DatasetRegistry"/>.</param>
    public static SuperclassMap? BuiltIn(string dataset) => dataset switch
    {
        DatasetRegistry.Cifar10 => Cifar10VehiclesAnimals,
        DatasetRegistry.Mnist => MnistLowHigh,
        _ => null,
    };

    /// <summary>Reads a map from a JSON file (see the remarks); errors name the file and what is wrong.</summary>
    /// <param name="path">The JSON file.</param>
    /// <param name="classNames">The dataset's class names: their count is the number of classes; names may stand for ids.</param>
    public static SuperclassMap FromJsonFile(string path, IReadOnlyList<string> classNames)
    {
        if (Directory.Exists(path)) throw new DatasetFormatException(path, "superclass map", "is a directory; expected a JSON file");
        if (!File.Exists(path)) throw new DatasetFormatException(path, "superclass map", "does not exist; expected a JSON file: superclass name -> list of class ids");
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetFormatException(path, "superclass map", $"could not be read ({e.Message})", e);
        }
        return Parse(json, path, classNames);
    }

    /// <summary>Parses map JSON; <paramref name="source"/> names it in errors.</summary>
    public static SuperclassMap Parse(string json, string source, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        int classCount = classNames.Count;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new DatasetFormatException(source, "JSON", $"not valid JSON ({e.Message}); expected {{ \"superclass\": [class ids], ... }}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new DatasetFormatException(source, "JSON root", $"expected an object {{ \"superclass\": [class ids], ... }}, found {doc.RootElement.ValueKind}");
            var names = new List<string>();
            var superOf = Enumerable.Repeat(-1, classCount).ToArray();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var name = prop.Name.Trim();
                if (name.Length == 0) throw new DatasetFormatException(source, "superclass name", "expected a non-empty name");
                if (names.Contains(name)) throw new DatasetFormatException(source, $"superclass \"{name}\"", "appears twice; expected unique names");
                if (prop.Value.ValueKind != JsonValueKind.Array)
                    throw new DatasetFormatException(source, $"superclass \"{name}\"", $"expected an array of class ids, found {prop.Value.ValueKind}");
                int id = names.Count;
                names.Add(name);
                if (prop.Value.GetArrayLength() == 0)
                    throw new DatasetFormatException(source, $"superclass \"{name}\"", "is empty; expected at least one class id");
                foreach (var item in prop.Value.EnumerateArray())
                {
                    int cls = item.ValueKind switch
                    {
                        JsonValueKind.Number when item.TryGetInt32(out var v) => v,
                        JsonValueKind.String => IndexOfName(classNames, item.GetString()!, source, name),
                        _ => throw new DatasetFormatException(source, $"superclass \"{name}\"", $"expected integer class ids (or class names), found {item.GetRawText()}"),
                    };
                    if (cls < 0 || cls >= classCount)
                        throw new DatasetFormatException(source, $"superclass \"{name}\"", $"class id {cls} out of range; expected 0 to {classCount - 1}");
                    if (superOf[cls] >= 0)
                        throw new DatasetFormatException(source, $"class {cls} ({classNames[cls]})",
                            $"listed under both \"{names[superOf[cls]]}\" and \"{name}\"" + (superOf[cls] == id ? " (twice)" : "") + "; expected every class exactly once");
                    superOf[cls] = id;
                }
            }
            if (names.Count == 0) throw new DatasetFormatException(source, "JSON root", "has no superclasses; expected at least one");
            var missing = Enumerable.Range(0, classCount).Where(c => superOf[c] < 0).ToArray();
            if (missing.Length > 0)
                throw new DatasetFormatException(source, "classes", $"{string.Join(", ", missing.Select(c => $"{c} ({classNames[c]})"))} in no superclass; expected every class 0 to {classCount - 1} exactly once");
            return new SuperclassMap(names, superOf);
        }
    }

    private static int IndexOfName(IReadOnlyList<string> classNames, string value, string source, string superclass)
    {
        for (int i = 0; i < classNames.Count; i++)
            if (string.Equals(classNames[i], value, StringComparison.OrdinalIgnoreCase)) return i;
        throw new DatasetFormatException(source, $"superclass \"{superclass}\"", $"unknown class name \"{value}\"; expected an id or one of {string.Join(", ", classNames.Take(20))}{(classNames.Count > 20 ? ", ..." : "")}");
    }

    /// <summary>
    /// A copy of <paramref name="dataset"/> with class = superclass and subclass = the original class. An existing
    /// subclass label is kept as <see cref="LabelKeys.OriginalSubclass"/>.
    /// </summary>
    public ImageDataset Apply(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.NumClasses() != ClassCount)
            throw new Core.UserInputException($"{dataset.Name}: the superclass map covers {ClassCount} classes but the dataset has {dataset.NumClasses()}");
        using var scope = NewDisposeScope();
        var lookup = tensor(_superclassOf.Select(v => (long)v).ToArray(), dtype: ScalarType.Int64);   // [classes]
        var original = dataset.ClassLabels;                                                           // [N]
        var labels = new Dictionary<string, Tensor>();
        var names = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (key, t) in dataset.Labels)
        {
            if (key is LabelKeys.Class) continue;
            var target = key == LabelKeys.Subclass ? LabelKeys.OriginalSubclass : key;
            labels[target] = t.clone();
            names[target] = dataset.LabelNames[key];
        }
        labels[LabelKeys.Class] = lookup.index_select(0, original);                                   // [N]
        names[LabelKeys.Class] = Names;
        labels[LabelKeys.Subclass] = original.clone();                                                // [N]
        names[LabelKeys.Subclass] = dataset.LabelNames[LabelKeys.Class];
        return dataset.WithLabels(labels, names);
    }
}
