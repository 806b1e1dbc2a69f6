namespace WhichFeatures.Diagnosis;

/// <summary>
/// One attribute of every example (class, subclass, a colour, a RandBit, ...): a category code per row, -1 where the
/// value is unknown (an empty CSV cell), and the category names in code order.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Codes">Per row, a code in [0, Categories.Count) or -1.</param>
/// <param name="Categories">Category names; code k is Categories[k].</param>
public sealed record AttributeColumn(string Name, long[] Codes, IReadOnlyList<string> Categories)
{
    /// <summary>Rows with a known value.</summary>
    public int KnownCount => Codes.Count(c => c >= 0);

    /// <summary>Builds a column from raw cell texts (null or empty = unknown); categories sorted (numerically when all are integers).</summary>
    public static AttributeColumn FromCells(string name, IReadOnlyList<string?> cells)
    {
        var distinct = cells.Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList();
        bool numeric = distinct.All(c => long.TryParse(c, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _));
        var cats = numeric
            ? distinct.OrderBy(c => long.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : distinct.OrderBy(c => c, StringComparer.Ordinal).ToList();
        var id = cats.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => (long)t.i);
        return new AttributeColumn(name, cells.Select(c => string.IsNullOrEmpty(c) ? -1L : id[c!]).ToArray(), cats);
    }
}
