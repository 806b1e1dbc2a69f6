using WhichFeatures.Core;

namespace WhichFeatures.Comparison;

/// <summary>
/// Reads the input folders of <c>compare</c>: at least two, each once, each of a kind <see cref="InputFolderKind"/>
/// recognises, named by <c>--name</c> or by the folder's name (made unique).
/// </summary>
public static class ComparedInputReader
{
    /// <summary>Reads every folder; <paramref name="names"/> (may be empty) names them in order.</summary>
    public static IReadOnlyList<ComparedInput> ReadAll(IReadOnlyList<string> folders, IReadOnlyList<string> names)
    {
        if (folders.Count < 2)
            throw new UserInputException($"compare needs at least two folders, got {folders.Count}{(folders.Count == 1 ? $" ({folders[0]})" : "")}; {InputFolderKind.Expected}.");
        if (names.Count > 0 && names.Count != folders.Count)
            throw new UserInputException($"--name: {names.Count} names for {folders.Count} folders; give one --name per folder, in the same order, or none.");
        var twice = folders.GroupBy(f => Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new UserInputException($"{twice.First()}: given more than once; compare each folder once.");
        var chosen = names.Count > 0 ? names : UniqueFolderNames(folders);
        if (chosen.Distinct().Count() != chosen.Count) throw new UserInputException($"--name: '{chosen.GroupBy(n => n).First(g => g.Count() > 1).Key}' given twice; every input needs its own name.");
        return folders.Select((f, i) => Read(f, chosen[i])).ToList();
    }

    /// <summary>Reads one folder as the input called <paramref name="name"/>.</summary>
    public static ComparedInput Read(string folder, string name)
    {
        var kind = InputFolderKind.Detect(folder);
        return kind switch
        {
            ComparedInputKind.TrainingRun => TrainingRunReader.Read(folder, name),
            ComparedInputKind.Diagnosis => DiagnosisReader.Read(folder, name),
            _ => SuiteReader.Read(folder, name, kind),
        };
    }

    // The folder's own name; when two are alike (runs/a/train, runs/b/train), its parent's name is put in front.
    private static List<string> UniqueFolderNames(IReadOnlyList<string> folders)
    {
        static string Leaf(string f) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(f)));
        static string Parent(string f) => Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(f))) ?? "");
        var leaves = folders.Select(Leaf).ToList();
        var names = folders.Select((f, i) => leaves.Count(l => l == leaves[i]) > 1 ? $"{Parent(f)}/{leaves[i]}" : leaves[i]).ToList();
        return names.Select((n, i) => names.Count(x => x == n) > 1 ? $"{n} ({i + 1})" : n).ToList();
    }
}
