using WhichFeatures.Core;

namespace WhichFeatures.Evaluation;

/// <summary>
/// A user's own per-example attributes, from a CSV: header <c>split,&lt;index column&gt;,attr1,attr2,...</c>;
/// <c>split</c> is train or test; the index column is either <c>position</c> (or <c>index</c>): the example's row in
/// that split as the run loaded it, or <c>source_index</c>: its record index in the dataset's source file(s), so
/// attributes computed straight from the dataset files line up with a subset run (rows of images the run did not
/// load are skipped and counted); the run's samples.csv lists both for every loaded example. Each attribute is a
/// category (any text; an empty cell = unknown, left out of that attribute's probe). A numeric attribute with more
/// than <see cref="MaxNumericCategories"/> distinct values is refused (a probe needs categories) unless
/// <c>bins</c> is given: then it is cut into that many quantile bins of its training values.
/// </summary>
public sealed class UserLabels
{
    /// <summary>Attribute name -> (split -> index -> category id).</summary>
    public IReadOnlyDictionary<string, Dictionary<(string Split, long Index), int>> Values { get; }
    /// <summary>Attribute name -> category names, in id order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Categories { get; }

    /// <summary>Which index column the file used: "position" or "source_index".</summary>
    public string IndexColumn { get; }
    /// <summary>Rows skipped because their source_index is not among the run's loaded examples.</summary>
    public int SkippedRows { get; }
    /// <summary>Attributes that were binned into quantiles (name -> bin upper edges).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Binned { get; }

    /// <summary>A numeric column with more distinct values than this is not a set of categories.</summary>
    public const int MaxNumericCategories = 20;

    private UserLabels(Dictionary<string, Dictionary<(string, long), int>> values, Dictionary<string, IReadOnlyList<string>> categories,
        string indexColumn, int skipped, Dictionary<string, IReadOnlyList<double>> binned)
    {
        Values = values;
        Categories = categories;
        IndexColumn = indexColumn;
        SkippedRows = skipped;
        Binned = binned;
    }

    /// <summary>Parses the CSV of a run whose splits hold <paramref name="trainCount"/> / <paramref name="testCount"/> examples
    /// in file order; errors name the file, the line and the column.</summary>
    public static UserLabels Load(string path, long trainCount, long testCount) =>
        Load(path, Enumerable.Range(0, (int)trainCount).Select(i => (long)i).ToArray(), Enumerable.Range(0, (int)testCount).Select(i => (long)i).ToArray());

    /// <summary>Parses the CSV; <paramref name="trainSource"/>/<paramref name="testSource"/> are the source indices of the
    /// loaded examples by position (ImageDataset.SourceIndices); <paramref name="bins"/> quantile-bins numeric columns.
    /// <paramref name="testIsTrainingCarve"/>: the run's test split is a validation carve of the training file
    /// (--validation-size), so its source indices are training records: by source index, a file's train rows reach
    /// both parts and its test rows (records of the test file, which the run never read) are skipped.</summary>
    public static UserLabels Load(string path, IReadOnlyList<long> trainSource, IReadOnlyList<long> testSource, int? bins = null, bool testIsTrainingCarve = false)
    {
        if (bins is < 2) throw new UserInputException($"--bins {bins}: expected at least 2 bins.");
        var lines = ReadLines(path);
        var columns = ReadHeader(path, lines[0]);
        var sourceToPosition = columns.BySource ? SourceToPosition(trainSource, testSource, testIsTrainingCarve) : null;
        var attrs = Enumerable.Range(0, columns.Header.Length).Where(i => i != columns.Split && i != columns.Index).ToArray();
        if (attrs.Length == 0) throw new UserInputException($"--labels {path}: line 1: no attribute columns besides 'split' and '{columns.Header[columns.Index]}'.");
        var (raw, skipped) = ReadCells(path, lines, columns, attrs, sourceToPosition, trainSource.Count, testSource.Count);
        var values = new Dictionary<string, Dictionary<(string, long), int>>();
        var categories = new Dictionary<string, IReadOnlyList<string>>();
        var binned = new Dictionary<string, IReadOnlyList<double>>();
        foreach (var (name, map) in raw)
        {
            int distinct = map.Values.Distinct().Count();
            bool numeric = map.Count > 0 && map.Values.All(IsNumber);
            if (numeric && distinct > MaxNumericCategories)
            {
                if (bins is not { } nBins)
                    throw new UserInputException($"--labels {path}: column '{name}' is numeric with {distinct} distinct values, not categories; pass --bins N to probe it as N quantile bins.");
                var (ids, edges) = QuantileBins(map, nBins);
                values[name] = ids;
                categories[name] = Enumerable.Range(1, edges.Count + 1).Select(q => $"q{q}").ToList();
                binned[name] = edges;
                continue;
            }
            var cats = map.Values.Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            var id = cats.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
            values[name] = map.ToDictionary(kv => kv.Key, kv => id[kv.Value]);
            categories[name] = cats;
        }
        return new UserLabels(values, categories, columns.BySource ? "source_index" : "position", skipped, binned);
    }

    /// <summary>The header's columns: where 'split' and the index column are, and whether the index is a source index.</summary>
    private sealed record HeaderColumns(string[] Header, int Split, int Index, bool BySource);

    private static string[] ReadLines(string path)
    {
        if (Directory.Exists(path)) throw new UserInputException($"--labels {path}: is a folder, expected a CSV file.");
        if (!File.Exists(path)) throw new UserInputException($"--labels {path}: file not found.");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new UserInputException($"--labels {path}: the file is empty; expected a header 'split,index,<attribute>,...'.");
        return lines;
    }

    private static HeaderColumns ReadHeader(string path, string line)
    {
        var header = SplitCsv(line).Select(h => h.Trim()).ToArray();
        int iSplit = Array.IndexOf(header, "split");
        var indexColumns = header.Where(h => h is "index" or "position" or "source_index").ToArray();
        if (iSplit < 0 || indexColumns.Length != 1)
            throw new UserInputException($"--labels {path}: line 1: the header must have the column 'split' and exactly one of 'position' (or 'index') and 'source_index' (found: {string.Join(", ", header)}).");
        return new HeaderColumns(header, iSplit, Array.IndexOf(header, indexColumns[0]), indexColumns[0] == "source_index");
    }

    /// <summary>(file split, source index) → (run split, position); a validation carve's test examples are records of the training file.</summary>
    private static Dictionary<string, Dictionary<long, (string, long)>> SourceToPosition(IReadOnlyList<long> trainSource, IReadOnlyList<long> testSource, bool testIsTrainingCarve) => new()
    {
        ["train"] = trainSource.Select((s, i) => (s, p: ("train", (long)i)))
            .Concat(testIsTrainingCarve ? testSource.Select((s, i) => (s, p: ("test", (long)i))) : [])
            .ToDictionary(t => t.s, t => t.p),
        ["test"] = testIsTrainingCarve ? [] : testSource.Select((s, i) => (s, p: ("test", (long)i))).ToDictionary(t => t.s, t => t.p),
    };

    /// <summary>Each attribute's non-empty cells by (run split, position), and how many rows were outside the run's subset.</summary>
    private static (Dictionary<string, Dictionary<(string, long), string>> Raw, int Skipped) ReadCells(string path, string[] lines, HeaderColumns columns, int[] attrs,
        Dictionary<string, Dictionary<long, (string, long)>>? sourceToPosition, long trainCount, long testCount)
    {
        var (header, iSplit, iIndex) = (columns.Header, columns.Split, columns.Index);
        int skipped = 0;
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
            long index;
            if (sourceToPosition is not null)
            {
                if (!long.TryParse(cells[iIndex].Trim(), out var source) || source < 0)
                    throw new UserInputException($"--labels {path}: line {ln + 1}, column 'source_index': '{cells[iIndex]}', expected a non-negative integer (see the run's samples.csv).");
                if (!sourceToPosition[split].TryGetValue(source, out var at)) { skipped++; continue; }   // not in the run's subset
                (split, index) = at;
            }
            else if (!long.TryParse(cells[iIndex].Trim(), out index) || index < 0 || index >= (split == "train" ? trainCount : testCount))
                throw new UserInputException($"--labels {path}: line {ln + 1}, column '{header[iIndex]}': '{cells[iIndex]}', expected an integer in [0, {(split == "train" ? trainCount : testCount)}) for the {split} split (the run's samples.csv lists every position).");
            foreach (var a in attrs)
            {
                var v = cells[a].Trim();
                if (v.Length == 0) continue;
                if (!raw[header[a]].TryAdd((split, index), v))
                    throw new UserInputException($"--labels {path}: line {ln + 1}: {split} example {index} appears twice.");
            }
        }
        return (raw, skipped);
    }

    /// <summary>Whether a cell reads as a number (invariant culture), which makes a column of many values a measurement.</summary>
    public static bool IsNumber(string cell) =>
        double.TryParse(cell, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Cuts numeric values into <paramref name="bins"/> bins at the quantiles i / bins (i = 1..bins-1) of the TRAINING
    /// values (linear interpolation between order statistics, NumPy's default); a value v goes to the number of
    /// edges &lt;= v. Repeated edges are merged, so there may be fewer bins. Returns the bin ids and the edges.
    /// </summary>
    public static (Dictionary<(string, long), int> Ids, IReadOnlyList<double> Edges) QuantileBins(IReadOnlyDictionary<(string Split, long Index), string> map, int bins)
    {
        static double Parse(string v) => double.Parse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
        var train = map.Where(kv => kv.Key.Split == "train").Select(kv => Parse(kv.Value)).Order().ToArray();
        if (train.Length == 0) train = map.Values.Select(Parse).Order().ToArray();
        var edges = new List<double>();
        for (int i = 1; i < bins; i++)
        {
            double pos = (train.Length - 1) * (double)i / bins;
            int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, train.Length - 1);
            double q = train[lo] + (train[hi] - train[lo]) * (pos - lo);
            if (edges.Count == 0 || q > edges[^1]) edges.Add(q);
        }
        var ids = map.ToDictionary(kv => kv.Key, kv => edges.Count(e => e <= Parse(kv.Value)));
        return (ids, edges);
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
