using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Builds the train (and optional test) <see cref="LabelledEmbeddings"/> from a user's files, and checks them:
/// one label row per embedding row, the same attributes and width in both splits, no empty attribute column, no
/// attribute with a single value, and no column that is not a set of categories: a numeric one with more than
/// <see cref="UserLabels.MaxNumericCategories"/> values (refused, as <c>probe</c> does, unless cut into quantile bins)
/// or an id-like one (more than that many values and fewer than <see cref="MinRowsPerValue"/> rows per value).
/// Category codes are shared by both splits.
/// </summary>
public static class DiagnoseInputs
{
    /// <summary>Rows per value below which a column of many values is taken for an id: no probe can learn it.</summary>
    public const int MinRowsPerValue = 5;

    /// <summary>Reads and checks the files; the test pair is optional (both or neither).</summary>
    /// <param name="embeddings">The training embeddings file.</param>
    /// <param name="labels">Its attributes, one row per embedding row.</param>
    /// <param name="testEmbeddings">Optional test embeddings.</param>
    /// <param name="testLabels">Their attributes.</param>
    /// <param name="idColumn">The label column that is an id, not an attribute.</param>
    /// <param name="bins">Cut numeric columns of many values into this many quantile bins of their training values (null: refuse them).</param>
    public static (LabelledEmbeddings Train, LabelledEmbeddings? Test) FromFiles(string embeddings, string labels, string? testEmbeddings, string? testLabels, string idColumn = "id", int? bins = null)
    {
        if (bins is < 2) throw new UserInputException($"--bins {bins}: expected at least 2 bins.");
        if ((testEmbeddings is null) != (testLabels is null))
            throw new UserInputException(testEmbeddings is null ? "--test-labels needs --test-embeddings." : "--test-embeddings needs --test-labels.");
        using var scope = NewDisposeScope();
        var x = EmbeddingFiles.ReadEmbeddings(embeddings, "--embeddings");
        var cells = EmbeddingFiles.ReadAttributeCells(labels, "--labels", idColumn);
        CheckRows(cells, x.shape[0], labels, "--labels", embeddings, "--embeddings");
        Tensor? tx = null;
        IReadOnlyList<(string Name, string?[] Cells)>? tcells = null;
        if (testEmbeddings is not null)
        {
            tx = EmbeddingFiles.ReadEmbeddings(testEmbeddings, "--test-embeddings");
            if (tx.shape[1] != x.shape[1])
                throw new UserInputException($"--test-embeddings {testEmbeddings}: {tx.shape[1]} dimensions, but --embeddings {embeddings} has {x.shape[1]}; expected the same encoder's output.");
            tcells = EmbeddingFiles.ReadAttributeCells(testLabels!, "--test-labels", idColumn);
            CheckRows(tcells, tx.shape[0], testLabels!, "--test-labels", testEmbeddings, "--test-embeddings");
            foreach (var (name, _) in cells)
                if (!tcells.Any(t => t.Name == name))
                    throw new UserInputException($"--test-labels {testLabels}: no column '{name}'; expected the same attribute columns as --labels {labels}.");
        }
        var trainCols = new List<AttributeColumn>();
        var testCols = new List<AttributeColumn>();
        foreach (var (name, c) in cells)
        {
            var t = tcells?.First(tc => tc.Name == name).Cells ?? [];
            var (trainCells, testCells) = Categorical(name, c, t, labels, idColumn, bins);
            var joint = AttributeColumn.FromCells(name, [.. trainCells, .. testCells]);
            var trainCol = joint with { Codes = joint.Codes[..c.Length] };
            if (trainCol.KnownCount == 0)
                throw new UserInputException($"--labels {labels}: attribute column '{name}' is empty; expected a value in at least two rows.");
            var distinct = trainCol.Codes.Where(v => v >= 0).Distinct().ToList();
            if (distinct.Count < 2)
                throw new UserInputException($"--labels {labels}: attribute '{name}' has a single value ('{joint.Categories[(int)distinct[0]]}'); a probe needs at least 2 values. Drop the column.");
            trainCols.Add(trainCol);
            if (tcells is not null) testCols.Add(joint with { Codes = joint.Codes[c.Length..] });
        }
        var train = new LabelledEmbeddings(Path.GetFileName(embeddings), x, trainCols);
        var test = tx is null ? null : new LabelledEmbeddings(Path.GetFileName(testEmbeddings!), tx, testCols);
        return (train, test);
    }

    // The cells of one column as categories: unchanged when they are (few values, or many with enough rows each),
    // quantile bins q1..qN of the training values for a numeric column when --bins is given; refused otherwise.
    private static (string?[] Train, string?[] Test) Categorical(string name, string?[] train, string?[] test, string labels, string idColumn, int? bins)
    {
        var known = train.Concat(test).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        int distinct = known.Distinct().Count();
        if (distinct <= UserLabels.MaxNumericCategories) return (train, test);
        bool numeric = known.All(UserLabels.IsNumber);
        if (numeric && bins is { } n)
        {
            var map = new Dictionary<(string Split, long Index), string>();
            for (int i = 0; i < train.Length; i++) if (!string.IsNullOrEmpty(train[i])) map[("train", i)] = train[i]!;
            for (int i = 0; i < test.Length; i++) if (!string.IsNullOrEmpty(test[i])) map[("test", i)] = test[i]!;
            var (ids, _) = UserLabels.QuantileBins(map, n);
            string? Bin(string split, int i) => ids.TryGetValue((split, i), out var b) ? $"q{b + 1}" : null;
            return (train.Select((_, i) => Bin("train", i)).ToArray(), test.Select((_, i) => Bin("test", i)).ToArray());
        }
        if (numeric)
            throw new UserInputException($"--labels {labels}: column '{name}' is numeric with {distinct} distinct values, not categories; pass --bins N to diagnose it as N quantile bins, or --id-column {name} if it is an id.");
        if (known.Count < MinRowsPerValue * distinct)
            throw new UserInputException($"--labels {labels}: column '{name}' has {distinct} distinct values over {known.Count} rows (fewer than {MinRowsPerValue} rows per value), so it is an id, not an attribute; pass --id-column {name} to skip it (the id column now is '{idColumn}'), or drop it.");
        return (train, test);
    }

    /// <summary>
    /// Resolves --class-column / --subclass-column: a named column must exist; without a name, a column called
    /// "class" (or "subclass") is used when present.
    /// </summary>
    public static (string? Class, string? Subclass) Hierarchy(LabelledEmbeddings data, string? classColumn, string? subclassColumn, string labelsFile)
    {
        string? Resolve(string? given, string option, string fallback)
        {
            if (given is not null)
                return data.Attribute(given) is not null ? given
                    : throw new UserInputException($"{option} {given}: no such attribute column in {labelsFile} (columns: {string.Join(", ", data.Attributes.Select(a => a.Name))}).");
            return data.Attribute(fallback) is not null ? fallback : null;
        }
        var cls = Resolve(classColumn, "--class-column", "class");
        var sub = Resolve(subclassColumn, "--subclass-column", "subclass");
        if (sub is not null && cls is null)
            throw new UserInputException($"--subclass-column {sub}: needs a class column too (--class-column), since subclasses are judged within each class.");
        if (sub is not null && sub == cls) throw new UserInputException($"--subclass-column {sub}: must differ from --class-column.");
        return (cls, sub);
    }

    private static void CheckRows(IReadOnlyList<(string Name, string?[] Cells)> cells, long n, string labels, string labelsOption, string embeddings, string embeddingsOption)
    {
        foreach (var (name, c) in cells)
            if (c.Length != n)
                throw new UserInputException($"{labelsOption} {labels}: {c.Length} label rows{(cells.Count > 1 ? "" : $" in '{name}'")}, but {embeddingsOption} {embeddings} has {n} rows; expected one label row per embedding row, in the same order.");
    }
}
