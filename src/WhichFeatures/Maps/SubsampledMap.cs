using static TorchSharp.torch;

namespace WhichFeatures.Maps;

/// <summary>A t-SNE map of a seeded subsample of a split's rows, with the labels of the mapped rows.</summary>
/// <param name="Map">The map; point i is row <c>Rows[i]</c> of the split.</param>
/// <param name="Rows">The mapped rows, ascending.</param>
/// <param name="Labels">Each label restricted to the mapped rows.</param>
/// <param name="Perplexity">The perplexity used (the asked one, or lower for a small split).</param>
public sealed record SubsampledMap(TsneMap Map, long[] Rows, IReadOnlyList<MapLabel> Labels, double Perplexity)
{
    /// <summary>Rows mapped by default: enough to see clusters, few enough for a few seconds (docs/benchmarks.md, "t-SNE").</summary>
    public const int DefaultRows = 3000;

    /// <summary>
    /// Maps at most <paramref name="maxRows"/> rows of <paramref name="features"/> ([N, D]), drawn with
    /// <paramref name="options"/>' seed; <paramref name="labels"/> hold one code per row of the split.
    /// Below 3 · perplexity + 1 rows the perplexity is lowered to (rows − 1) / 3; null below 10 rows.
    /// </summary>
    public static SubsampledMap? Fit(Tensor features, IReadOnlyList<MapLabel> labels, int maxRows, TsneOptions options, CancellationToken cancellation = default)
    {
        long n = features.shape[0];
        var rows = MapFigures.Subsample(n, maxRows, options.Seed);
        if (rows.Length < 10) return null;
        double perplexity = Math.Min(options.Perplexity, (rows.Length - 1) / 3.0);
        using var scope = NewDisposeScope();
        var x = rows.Length == n ? features : features.index_select(0, tensor(rows));    // [n, D]
        var map = Tsne.Fit(x, options.WithPerplexity(perplexity), cancellation);
        var mapped = labels.Select(l => l with { Codes = rows.Select(r => l.Codes[(int)r]).ToArray() }).ToList();
        return new SubsampledMap(map, rows, mapped, perplexity);
    }

    /// <summary>The summary for results.json, with the image files the plots will be written to.</summary>
    public MapSummary Summary(long ofRows, string split, IEnumerable<string> files) =>
        new(Map.Rows, ofRows, split, Map.Method, Perplexity, Map.Iterations, Map.Divergence, files.ToList());
}
