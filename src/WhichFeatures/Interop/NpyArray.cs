namespace WhichFeatures.Interop;

/// <summary>
/// An array read from a NumPy .npy file, held in C (row-major) order whatever the file's order was.
/// Exactly one of <see cref="Doubles"/> (float32 and float64 files; float32 values widen exactly),
/// <see cref="Longs"/> (integer and bool files) or <see cref="Strings"/> (NumPy's fixed-width unicode 'U' and byte
/// 'S' strings) is set.
/// </summary>
/// <param name="Shape">The array shape (empty for a scalar).</param>
/// <param name="Dtype">The file's dtype descriptor, e.g. "&lt;f4".</param>
/// <param name="Doubles">The values of a float array, row-major.</param>
/// <param name="Longs">The values of an integer or bool array, row-major.</param>
public sealed record NpyArray(long[] Shape, string Dtype, double[]? Doubles, long[]? Longs)
{
    /// <summary>Number of elements (product of the shape).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
    /// <summary>True for float16/32/64 data.</summary>
    public bool IsFloat => Doubles is not null;
    /// <summary>The values of a string array (trailing NULs removed, as NumPy shows them), row-major.</summary>
    public string[]? Strings { get; init; }
    /// <summary>The shape written as NumPy prints it, e.g. "(10, 4)".</summary>
    public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";
}
