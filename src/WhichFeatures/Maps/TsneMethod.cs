namespace WhichFeatures.Maps;

/// <summary>How the t-SNE gradient is computed.</summary>
public enum TsneMethod
{
    /// <summary>Exact up to <see cref="TsneOptions.ExactUpTo"/> rows, Barnes-Hut above.</summary>
    Auto,
    /// <summary>Every pair: O(N²) per iteration, dense affinities over all points.</summary>
    Exact,
    /// <summary>
    /// Affinities over the 3·perplexity nearest neighbours, repulsion summarised by a quadtree: O(N log N). Groups of up
    /// to 32 nearby points share one walk of the tree, whose cell criterion (width / distance below the angle) is
    /// measured from the group's bounding box, so each point's approximation is at least as close as Barnes-Hut's
    /// per-point one at the same angle.
    /// </summary>
    BarnesHut,
}
