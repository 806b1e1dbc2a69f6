namespace WhichFeatures.Data;

/// <summary>What one split holds: size, image shape and per-label counts.</summary>
/// <param name="Split">"train" or "test".</param>
/// <param name="Count">Number of examples.</param>
/// <param name="Shape">Image shape [C, H, W].</param>
/// <param name="ExtraChannels">k extra constant channels (RandBit), 0 when none.</param>
/// <param name="CountsPerLabel">For each label set: the number of examples per value (null for label sets with more than 100 values).</param>
/// <param name="DistinctPerLabel">For each label set: the number of distinct values present.</param>
/// <param name="LabelNames">For each label set: its value names.</param>
public sealed record SplitSummary(string Split, long Count, IReadOnlyList<long> Shape, int ExtraChannels,
    IReadOnlyDictionary<string, long[]?> CountsPerLabel, IReadOnlyDictionary<string, int> DistinctPerLabel,
    IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames)
{
    /// <summary>Summarises <paramref name="dataset"/>.</summary>
    public static SplitSummary Of(string split, ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = new Dictionary<string, long[]?>();
        var distinct = new Dictionary<string, int>();
        foreach (var key in dataset.Labels.Keys.OrderBy(k => k == LabelKeys.Class ? "" : k, StringComparer.Ordinal))
        {
            var values = dataset.LabelValues(key);
            distinct[key] = values.Distinct().Count();
            counts[key] = dataset.NumClasses(key) <= 100 ? dataset.CountsPerClass(key) : null;
        }
        return new SplitSummary(split, dataset.Count, new long[] { dataset.Channels, dataset.Height, dataset.Width },
            dataset.ExtraChannelCount, counts, distinct, dataset.LabelNames.ToDictionary(kv => kv.Key, kv => kv.Value));
    }
}
