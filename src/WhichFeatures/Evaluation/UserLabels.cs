using WhichFeatures.Core;

namespace WhichFeatures.Evaluation;

/// <summary>
/// A user's own per-example attributes, from a CSV: header <c>split,index,attr1,attr2,...</c>; <c>split</c> is
/// train or test, <c>index</c> the example's position in that split as the run loaded it (the official file order
/// when the run used the whole split), and each attribute a category (any text; an empty cell = unknown, left out
/// of that attribute's probe). Lets a user ask which of THEIR attributes the encoder kept.
/// </summary>
public sealed class UserLabels
{
    /// <summary>Attribute name -> (split -> index -> category id).</summary>
    public IReadOnlyDictionary<string, Dictionary<(string Split, long Index), int>> Values { get; }
    /// <summary>Attribute name -> category names, in id order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Categories { get; }

    private UserLabels(Dictionary<string, Dictionary<(string, long), int>> values, Dictionary<string, IReadOnlyList<string>> categories)
    {
        Values = values;
        Categories = categories;
    }

    /// <summary>Parses the CSV; errors name the file, the line and the column.</summary>
    public static UserLabels Load(string path, long trainCount, long testCount)
    {
        if (Directory.Exists(path)) throw new UserInputException($"--labels {path}: is a folder, expected a CSV file.");
        if (!File.Exists(path)) throw new UserInputException($"--labels {path}: file not found.");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new UserInputException($"--labels {path}: the file is empty; expected a header 'split,index,<attribute>,...'.");
        var header = SplitCsv(lines[0]).Select(h => h.Trim()).ToArray();
        int iSplit = Array.IndexOf(header, "split"), iIndex = Array.IndexOf(header, "index");
        if (iSplit < 0 || iIndex < 0)
            throw new UserInputException($"--labels {path}: line 1: the header must have the columns 'split' and 'index' (found: {string.Join(", ", header)}).");
        var attrs = Enumerable.Range(0, header.Length).Where(i => i != iSplit && i != iIndex).ToArray();
        if (attrs.Length == 0) throw new UserInputException($"--labels {path}: line 1: no attribute columns besides 'split' and 'index'.");
        var raw = attrs.ToDictionary(a => header[a], _ => new Dictionary<(string, long), string>());
        for (int ln = 1; ln < lines.Length; ln++)
        {
            if (string.IsNullOrWhiteSpace(lines[ln])) continue;
            var cells = SplitCsv(lines[ln]);
            if (cells.Count != header.Length)
                throw new UserInputException($"--labels {path}: line {ln + 1}: {cells.Count} cells, expected {header.Length} (as in the header).");
            var split = cells[iSplit].Trim().ToLowerInvariant();
            if (split is not ("train" or "test"))
                throw new UserInputException($"--labels {path}: line {ln + 1}, column 'split': '{cells[iSplit]}', expected train or test.");
            if (!long.TryParse(cells[iIndex].Trim(), out var index) || index < 0 || index >= (split == "train" ? trainCount : testCount))
                throw new UserInputException($"--labels {path}: line {ln + 1}, column 'index': '{cells[iIndex]}', expected an integer in [0, {(split == "train" ? trainCount : testCount)}) for the {split} split.");
            foreach (var a in attrs)
            {
                var v = cells[a].Trim();
                if (v.Length == 0) continue;
                if (!raw[header[a]].TryAdd((split, index), v))
                    throw new UserInputException($"--labels {path}: line {ln + 1}: {split} example {index} appears twice.");
            }
        }
        var values = new Dictionary<string, Dictionary<(string, long), int>>();
        var categories = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (name, map) in raw)
        {
            var cats = map.Values.Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            var id = cats.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
            values[name] = map.ToDictionary(kv => kv.Key, kv => id[kv.Value]);
            categories[name] = cats;
        }
        return new UserLabels(values, categories);
    }

    /// <summary>Splits one CSV line (RFC 4180 quotes).</summary>
    internal static List<string> SplitCsv(string line)
    {
        var cells = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(c);
        }
        cells.Add(cur.ToString());
        return cells;
    }
}
