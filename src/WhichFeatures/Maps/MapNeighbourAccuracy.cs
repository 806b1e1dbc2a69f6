namespace WhichFeatures.Maps;

/// <summary>
/// How well a map keeps labelled groups apart: the share of points whose label is the majority label of their k
/// nearest other points in the map (leave-one-out k-nearest-neighbour accuracy in 2-D). A tie between labels goes to
/// the tied label of the nearest neighbour.
/// </summary>
public static class MapNeighbourAccuracy
{
    /// <summary>The accuracy in [0, 1] for <paramref name="map"/> (row-major N × 2) and one label per point.</summary>
    public static double Compute(double[] map, IReadOnlyList<long> labels, int k = 10)
    {
        int n = map.Length / 2;
        if (labels.Count != n) throw new ArgumentException($"{labels.Count} labels for {n} points", nameof(labels));
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1 ≤ k < N = {n}");
        var correct = new bool[n];
        Parallel.For(0, n, i =>
        {
            var nearest = Trustworthiness.MapNeighbours(map, n, i, k);
            var votes = nearest.GroupBy(j => labels[j]).Select(g => (Label: g.Key, Votes: g.Count(), First: Array.IndexOf(nearest, g.First()))).ToList();
            int most = votes.Max(v => v.Votes);
            correct[i] = votes.Where(v => v.Votes == most).MinBy(v => v.First).Label == labels[i];
        });
        return correct.Count(c => c) / (double)n;
    }
}
