using System.Text.RegularExpressions;

namespace WhichFeatures.Tests.Architecture;

/// <summary>
/// The layer table of docs/architecture.md, checked against the code: every file of src/WhichFeatures may use only
/// the folders its own folder's row allows (through <c>using WhichFeatures.X</c>, <c>WhichFeatures.X.Type</c> or a
/// partly qualified <c>X.Type</c>), and no two folders may use each other.
/// </summary>
public class LayerDependencyTests
{
    /// <summary>Folder → the folders it may use: the "may use" column of docs/architecture.md.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Core"] = [],
        ["Verdicts"] = [],
        ["Data"] = ["Core"],
        ["Augmentation"] = ["Core"],
        ["Losses"] = ["Core"],
        ["Maps"] = ["Core", "Reporting"],
        ["Models"] = ["Core", "Losses"],
        ["Evaluation"] = ["Core", "Data"],
        ["Reporting"] = ["Core", "Data"],
        ["LinearSetting"] = ["Core", "Losses"],
        ["Interop"] = ["Core", "Reporting"],
        ["Training"] = ["Core", "Data", "Augmentation", "Models", "Losses", "Evaluation", "Verdicts", "Reporting", "Maps"],
        ["Diagnosis"] = ["Core", "Data", "Evaluation", "Interop", "Reporting", "Verdicts", "Maps"],
        ["Experiments"] = ["Core", "Data", "Augmentation", "Models", "Losses", "Evaluation", "Verdicts", "Reporting", "Interop", "LinearSetting", "Training", "Diagnosis", "Maps"],
        ["Sweeps"] = ["Core", "Reporting", "Experiments"],
        ["Comparison"] = ["Core", "Data", "Evaluation", "Reporting", "Verdicts", "Training", "Experiments", "Sweeps", "Maps"],
    };

    /// <summary>
    /// Dependencies the table forbids that the code still has, as "File.cs: Folder -> Folder". Each one is a debt to
    /// pay, not a permission: the test fails once one of them is gone, so the list only shrinks.
    /// </summary>
    private static readonly string[] KnownExceptions = [];

    [Fact]
    public void EveryFileUsesOnlyTheFoldersItsRowAllows()
    {
        var found = Violations(LibraryRoot());
        var unexpected = found.Except(KnownExceptions).ToList();
        var paidOff = KnownExceptions.Except(found).ToList();
        Assert.True(unexpected.Count == 0, "Dependencies docs/architecture.md forbids:\n" + string.Join("\n", unexpected));
        Assert.True(paidOff.Count == 0, "Known exceptions that no longer occur (remove them from KnownExceptions):\n" + string.Join("\n", paidOff));
    }

    [Fact]
    public void TheTableIsTheOneInDocsArchitecture()
    {
        var doc = DocumentedTable(Path.Combine(RepositoryFolder.Root(), "docs", "architecture.md"));
        Assert.Equal(Allowed.Keys.Order(), doc.Keys.Order());
        foreach (var (folder, uses) in Allowed)
            Assert.True(uses.Order().SequenceEqual(doc[folder].Order()),
                $"{folder}/: the test allows {string.Join(", ", uses.Order())}; docs/architecture.md says {string.Join(", ", doc[folder].Order())}");
    }

    [Fact]
    public void EveryLibraryFolderHasARow()
    {
        var missing = Directory.GetDirectories(LibraryRoot()).Select(d => Path.GetFileName(d)).Where(f => f is not ("bin" or "obj") && !Allowed.ContainsKey(f)).ToList();
        Assert.True(missing.Count == 0, "Folders without a row in the layer table: " + string.Join(", ", missing));
    }

    // Allowed uses, followed transitively, never lead back to the folder: no two folders depend on each other,
    // directly or through a third.
    [Fact]
    public void NoFolderCanReachItself()
    {
        foreach (var start in Allowed.Keys)
        {
            var seen = new HashSet<string>();
            var todo = new Stack<string>(Allowed[start]);
            while (todo.Count > 0)
            {
                var f = todo.Pop();
                Assert.NotEqual(start, f);
                if (seen.Add(f)) foreach (var g in Allowed[f]) todo.Push(g);
            }
        }
    }

    // The scanner must see each way a file can name another folder, or the main test passes vacuously.
    [Fact]
    public void TheScannerSeesUsingsAndQualifiedNamesButNotComments()
    {
        var types = new Dictionary<string, HashSet<string>> { ["Training"] = ["TrainResults"], ["Sweeps"] = ["SweepPlan"], ["Data"] = ["ImageDataset"] };
        Assert.Equal(["Training"], Uses("using WhichFeatures.Training;\nnamespace WhichFeatures.Reporting;", "Reporting", types));
        Assert.Equal(["Training"], Uses("using static WhichFeatures.Training.RunReport;", "Reporting", types));
        Assert.Equal(["Sweeps"], Uses("var p = global::WhichFeatures.Sweeps.SweepPlan.Empty;", "Reporting", types));
        Assert.Equal(["Data"], Uses("void F(Data.ImageDataset d) { }", "Reporting", types));
        Assert.Empty(Uses("// using WhichFeatures.Training;\n/// <see cref=\"WhichFeatures.Sweeps.SweepPlan\"/>\nvar x = o.Data.ImageDataset; Losses.Select(x => x);", "Reporting", types));
        Assert.Empty(Uses("using WhichFeatures.Reporting;", "Reporting", types));
    }

    private static readonly Regex FullName = new(@"\bWhichFeatures\.([A-Z]\w*)", RegexOptions.Compiled);
    private static readonly Regex PartName = new(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)", RegexOptions.Compiled);
    private static readonly Regex TypeDeclaration = new(@"\b(?:class|struct|interface|enum|record)\s+([A-Z]\w*)", RegexOptions.Compiled);
    private static readonly Regex Comment = new(@"//[^\n]*|/\*.*?\*/", RegexOptions.Compiled | RegexOptions.Singleline);

    /// <summary>Every forbidden dependency under <paramref name="root"/>, as "File.cs: Folder -> Folder".</summary>
    private static List<string> Violations(string root)
    {
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Path: f, Folder: FolderOf(root, f)))
            .Where(f => f.Folder is not null).ToList();
        var types = files.GroupBy(f => f.Folder!).ToDictionary(g => g.Key,
            g => g.SelectMany(f => TypeDeclaration.Matches(Comment.Replace(File.ReadAllText(f.Path), "")).Select(m => m.Groups[1].Value)).ToHashSet());
        var violations = new List<string>();
        foreach (var (path, folder) in files)
        {
            Assert.True(Allowed.ContainsKey(folder!), $"{folder}/ has no row in the layer table");
            foreach (var used in Uses(File.ReadAllText(path), folder!, types))
                if (!Allowed[folder!].Contains(used))
                    violations.Add($"{Path.GetRelativePath(root, path).Replace('\\', '/')}: {folder} -> {used}");
        }
        return violations.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The library folders a source file names, other than its own; comments do not count.</summary>
    private static List<string> Uses(string source, string folder, IReadOnlyDictionary<string, HashSet<string>> types)
    {
        var code = Comment.Replace(source, "");
        var full = FullName.Matches(code).Select(m => m.Groups[1].Value).Where(types.ContainsKey);
        var part = PartName.Matches(code).Where(m => types.TryGetValue(m.Groups[1].Value, out var t) && t.Contains(m.Groups[2].Value)).Select(m => m.Groups[1].Value);
        return full.Concat(part).Where(f => f != folder).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The top folder of a file under the library root (Experiments/Theory/X.cs → Experiments); null for files at the root, bin or obj.</summary>
    private static string? FolderOf(string root, string file)
    {
        var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Length < 2 || parts[0] is "bin" or "obj" ? null : parts[0];
    }

    /// <summary>The "may use" column of the layer table: rows "| `Folder/` | ... | A, B (why) |", "nothing" for none.</summary>
    private static Dictionary<string, string[]> DocumentedTable(string path)
    {
        var table = new Dictionary<string, string[]>();
        foreach (var line in File.ReadLines(path))
        {
            var row = Regex.Match(line, @"^\| `(\w+)/` \|.*\| ([^|]+) \|$");
            if (!row.Success) continue;
            var uses = Regex.Replace(row.Groups[2].Value, @"\([^)]*\)", "").Split(',').Select(s => s.Trim()).Where(s => s is not ("" or "nothing")).ToArray();
            table[row.Groups[1].Value] = uses;
        }
        return table;
    }

    private static string LibraryRoot() => Path.Combine(RepositoryFolder.Root(), "src", "WhichFeatures");
}
