namespace WhichFeatures.Maps;

/// <summary>How the t-SNE gradient is computed.</summary>
public enum TsneMethod
{
    /// <summary>Exact up to <see cref="TsneOptions.ExactUpTo"/> rows, Barnes-Hut above.</summary>
    Auto,
    /// <summary>Every pair: O(N²) per iteration, dense affinities over all points.</summary>
    Exact,
    /// <summary>Affinities over the 3·perplexity nearest neighbours, repulsion summarised by a quadtree: O(N log N).</summary>
    BarnesHut,
}
