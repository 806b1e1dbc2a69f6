using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Interop;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Reads a user's embeddings (.npy, .npz or .csv) and attribute table (.csv, .npz or .npy) for <c>diagnose</c>.
/// Every error names the file and option and says what was expected.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>.npy: a float32 or float64 array [N, D] (C or Fortran order).</item>
/// <item>.npz: the array named "embeddings", else the only 2-D float array.</item>
/// <item>.csv: N rows of D numbers; a first row with any non-number is a header; a column named "id" is skipped.</item>
/// <item>Labels .csv: a header, then one row per embedding row in the same order; the id column (default "id",
///   optional) is not an attribute; every other column is one; an empty cell is an unknown value.</item>
/// <item>Labels .npz: every 1-D array of N values is an attribute named after the array (2-D arrays are skipped,
///   so one .npz may hold both embeddings and labels); integer, bool and string arrays (NumPy 'U'/'S') are
///   categories. Labels .npy: one 1-D array, the attribute "label".</item>
/// </list>
/// </remarks>
public static class EmbeddingFiles
{
    /// <summary>Reads embeddings as float32 [N, D]; rejects NaN/inf rows.</summary>
    public static Tensor ReadEmbeddings(string path, string option)
    {
        string display = $"{option} {path}";
        RequireFile(path, display);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        (double[] values, long n, long d) = ext switch
        {
            ".npy" => FromNpy(NpyFile.Read(path, display), display),
            ".npz" => FromNpz(path, display),
            ".csv" or ".tsv" or ".txt" => FromCsv(path, display),
            _ => throw new UserInputException($"{display}: unknown embeddings format '{ext}'; expected .npy, .npz or .csv."),
        };
        if (n == 0 || d == 0) throw new UserInputException($"{display}: no embeddings (shape [{n}, {d}]); expected at least one row and one column.");
        int bad = -1, badCount = 0;
        for (long i = 0; i < n; i++)
            for (long j = 0; j < d; j++)
                if (!double.IsFinite(values[i * d + j])) { if (bad < 0) bad = (int)i; badCount++; break; }
        if (bad >= 0)
            throw new UserInputException($"{display}: {badCount} row(s) contain NaN or infinity (first: row {bad}); expected finite numbers. Drop or fix those rows (and their labels).");
        var f = new float[values.Length];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = (float)values[i];
            if (!float.IsFinite(f[i]))
                throw new UserInputException($"{display}: row {i / d} has a value ({values[i]:g}) beyond the float32 range; expected finite float32 numbers.");
        }
        return tensor(f, [n, d]);
    }

    /// <summary>Reads the attribute table: column names and raw cells (null = unknown), one per embedding row.</summary>
    public static IReadOnlyList<(string Name, string?[] Cells)> ReadAttributeCells(string path, string option, string idColumn = "id")
    {
        string display = $"{option} {path}";
        RequireFile(path, display);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".npy":
                return [("label", LabelCells(NpyFile.Read(path, display), display))];
            case ".npz":
                var cols = NpzFile.Read(path, display).Where(kv => kv.Value.Shape.Length == 1)
                    .Select(kv => (kv.Key, LabelCells(kv.Value, $"{display} (array '{kv.Key}')"))).ToList();
                if (cols.Count == 0) throw new UserInputException($"{display}: no 1-D arrays; expected one 1-D array of labels per attribute.");
                return cols;
            case ".csv" or ".tsv" or ".txt":
                return FromLabelCsv(path, display, idColumn);
            default:
                throw new UserInputException($"{display}: unknown labels format '{ext}'; expected .csv, .npz or .npy.");
        }
    }

    private static void RequireFile(string path, string display)
    {
        if (Directory.Exists(path)) throw new UserInputException($"{display}: is a folder, expected a file.");
        if (!File.Exists(path)) throw new UserInputException($"{display}: file not found.");
    }

    private static (double[], long, long) FromNpy(NpyArray a, string display)
    {
        if (!a.IsFloat || a.Dtype.EndsWith('2'))
            throw new UserInputException($"{display}: embeddings have dtype '{a.Dtype}'; expected float32 or float64.");
        if (a.Shape.Length != 2) throw new UserInputException($"{display}: embeddings have shape {a.ShapeText}; expected a 2-D array [N, D].");
        return (a.Doubles!, a.Shape[0], a.Shape[1]);
    }

    private static (double[], long, long) FromNpz(string path, string display)
    {
        var arrays = NpzFile.Read(path, display);
        if (arrays.TryGetValue("embeddings", out var named)) return FromNpy(named, $"{display} (array 'embeddings')");
        var candidates = arrays.Where(kv => kv.Value.IsFloat && kv.Value.Shape.Length == 2).ToList();
        if (candidates.Count != 1)
            throw new UserInputException($"{display}: cannot tell which array holds the embeddings (arrays: {string.Join(", ", arrays.Select(kv => $"{kv.Key} {kv.Value.ShapeText} {kv.Value.Dtype}"))}); name it 'embeddings' or keep one 2-D float array.");
        return FromNpy(candidates[0].Value, $"{display} (array '{candidates[0].Key}')");
    }

    private static (double[], long, long) FromCsv(string path, string display)
    {
        var lines = File.ReadAllLines(path);
        char sep = Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        int first = 0, skip = -1;
        var values = new List<double>();
        long d = -1, n = 0;
        for (int ln = 0; ln < lines.Length; ln++)
        {
            if (string.IsNullOrWhiteSpace(lines[ln])) continue;
            var cells = lines[ln].Split(sep).Select(c => c.Trim().Trim('"')).ToArray();
            if (ln == first && cells.Any(c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                skip = Array.FindIndex(cells, c => c.Equals("id", StringComparison.OrdinalIgnoreCase));
                first = -1;
                continue;
            }
            first = -1;
            var nums = cells.Where((_, i) => i != skip).ToArray();
            if (d < 0) d = nums.Length;
            if (nums.Length != d)
                throw new UserInputException($"{display}: line {ln + 1} has {nums.Length} values, expected {d} (as in the first row).");
            foreach (var c in nums)
            {
                if (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new UserInputException($"{display}: line {ln + 1}: '{c}' is not a number.");
                values.Add(v);
            }
            n++;
        }
        return (values.ToArray(), n, Math.Max(d, 0));
    }

    private static string?[] LabelCells(NpyArray a, string display)
    {
        if (a.Shape.Length != 1) throw new UserInputException($"{display}: labels have shape {a.ShapeText}; expected a 1-D array.");
        if (a.Strings is { } text) return text.Select(v => v.Length == 0 ? null : v).ToArray();   // categories by name; "" = unknown
        if (a.Longs is { } l) return l.Select(v => (string?)v.ToString(CultureInfo.InvariantCulture)).ToArray();
        return a.Doubles!.Select(v => double.IsNaN(v) ? null
            : v == Math.Floor(v) && Math.Abs(v) < 1e15 ? ((long)v).ToString(CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
    }

    private static List<(string, string?[])> FromLabelCsv(string path, string display, string idColumn)
    {
        var lines = File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        if (lines.Length == 0) throw new UserInputException($"{display}: the file is empty; expected a header row with one column per attribute.");
        var header = UserLabels.SplitCsv(lines[0]).Select(h => h.Trim()).ToArray();
        var dup = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new UserInputException($"{display}: line 1: the column '{dup.Key}' appears twice.");
        if (header.Any(h => h.Length == 0)) throw new UserInputException($"{display}: line 1: a column has no name.");
        var attrs = Enumerable.Range(0, header.Length).Where(i => header[i] != idColumn).ToArray();
        if (attrs.Length == 0) throw new UserInputException($"{display}: line 1: no attribute columns besides '{idColumn}'.");
        var cells = attrs.Select(_ => new string?[lines.Length - 1]).ToArray();
        for (int ln = 1; ln < lines.Length; ln++)
        {
            var row = UserLabels.SplitCsv(lines[ln]);
            if (row.Count != header.Length)
                throw new UserInputException($"{display}: line {ln + 1}: {row.Count} cells, expected {header.Length} (as in the header).");
            for (int a = 0; a < attrs.Length; a++)
            {
                var v = row[attrs[a]].Trim();
                cells[a][ln - 1] = v.Length == 0 ? null : v;
            }
        }
        return attrs.Select((a, k) => (header[a], cells[k])).ToList();
    }
}
