namespace WhichFeatures.Reporting;

/// <summary>A named table of numbers (a curve, a sweep) that is written as one CSV file.</summary>
public sealed class DataTable
{
    /// <summary>Creates an empty table; <paramref name="name"/> becomes the file name (name.csv).</summary>
    public DataTable(string name, params string[] columns)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"table name '{name}' is not a valid file name", nameof(name));
        if (columns.Length == 0) throw new ArgumentException("a table needs at least one column", nameof(columns));
        Name = name;
        Columns = columns;
    }

    /// <summary>File stem of the CSV.</summary>
    public string Name { get; }
    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>Rows; each cell is a number or a string.</summary>
    public List<object[]> Rows { get; } = [];

    /// <summary>Appends a row; the cell count must match the columns.</summary>
    public DataTable Add(params object[] cells)
    {
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"table {Name}: row has {cells.Length} cells, expected {Columns.Count} ({string.Join(", ", Columns)})");
        Rows.Add(cells);
        return this;
    }
}
