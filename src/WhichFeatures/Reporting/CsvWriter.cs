using System.Globalization;
using System.Text;

namespace WhichFeatures.Reporting;

/// <summary>Writes a <see cref="DataTable"/> as RFC 4180 CSV (invariant culture, round-trip doubles).</summary>
public static class CsvWriter
{
    /// <summary>The table as CSV text with a header row.</summary>
    public static string ToCsv(DataTable table)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", table.Columns.Select(Escape)));
        foreach (var row in table.Rows)
            sb.AppendLine(string.Join(",", row.Select(Format)));
        return sb.ToString();
    }

    /// <summary>Writes the table atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, DataTable table) => AtomicFile.WriteAllText(path, ToCsv(table));

    /// <summary>Formats one cell: numbers round-trip in invariant culture, text is quoted when needed.</summary>
    public static string Format(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(cell.ToString() ?? ""),
    };

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
