using System.Collections;
using System.Globalization;

namespace WhichFeatures.Data;

/// <summary>
/// Label names "0", "1", ..., "count-1" made on demand, so that a label with 2^20 values (RandBit, k = 20)
/// does not hold a million strings.
/// </summary>
public sealed class NumberedLabelNames : IReadOnlyList<string>
{
    /// <summary>Names for <paramref name="count"/> labels.</summary>
    public NumberedLabelNames(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 0");
        Count = count;
    }

    /// <summary>The number of labels.</summary>
    public int Count { get; }

    /// <summary>The name of label <paramref name="index"/>: its number in decimal.</summary>
    public string this[int index] =>
        (uint)index < (uint)Count ? index.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Enumerates the names in order.</summary>
    public IEnumerator<string> GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
