using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnostics;

/// <summary>
/// Builds the train (and optional test) <see cref="LabelledEmbeddings"/> from a user's files, and checks them:
/// one label row per embedding row, the same attributes and width in both splits, no empty attribute column and
/// no attribute with a single value. Category codes are shared by both splits.
/// </summary>
public static class DiagnoseInputs
{
    /// <summary>Reads and checks the files; the test pair is optional (both or neither).</summary>
    public static (LabelledEmbeddings Train, LabelledEmbeddings? Test) FromFiles(string embeddings, string labels, string? testEmbeddings, string? testLabels, string idColumn = "id")
    {
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
            var joint = AttributeColumn.FromCells(name, [.. c, .. t]);
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
