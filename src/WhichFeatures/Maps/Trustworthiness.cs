namespace WhichFeatures.Maps;

/// <summary>
/// How far a map can be trusted not to invent neighbours (Venna and Kaski, 2001; scikit-learn's
/// <c>sklearn.manifold.trustworthiness</c>):
/// T(k) = 1 − 2 / (N k (2N − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k),
/// where Uᵢ holds the points among i's k nearest in the map that are not among its k nearest in the data, and
/// r(i, j) is j's rank among i's neighbours in the data (1 = nearest). 1 means every map neighbour is a data
/// neighbour. Distances are Euclidean; equal distances rank by index. Needs k &lt; N / 2.
/// </summary>
public static class Trustworthiness
{
    /// <summary>T(k) of <paramref name="map"/> (row-major N × 2) for <paramref name="data"/> (row-major N × D).</summary>
    public static double Compute(double[] data, int d, double[] map, int k, CancellationToken cancellation = default)
    {
        int n = map.Length / 2;
        if (data.Length != (long)n * d) throw new ArgumentException($"data holds {data.Length} values, not {n} × {d}", nameof(data));
        if (k < 1 || k >= n / 2.0) throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1 ≤ k < N / 2 = {n / 2.0}");
        var penalty = new double[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            var inData = new double[n];
            for (int j = 0; j < n; j++) inData[j] = j == i ? double.PositiveInfinity : Neighbours.SquaredDistance(data, d, i, j);
            double sum = 0;
            foreach (int j in MapNeighbours(map, n, i, k))
            {
                int rank = Rank(inData, j);
                if (rank > k) sum += rank - k;
            }
            penalty[i] = sum;
        });
        double t = 0;
        for (int i = 0; i < n; i++) t += penalty[i];
        return 1 - t * (2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /// <summary>The k nearest other points of i in the map, by squared distance, ties by index.</summary>
    internal static int[] MapNeighbours(double[] map, int n, int i, int k)
    {
        var all = new (double D2, int J)[n - 1];
        for (int j = 0, t = 0; j < n; j++)
        {
            if (j == i) continue;
            double dx = map[2 * i] - map[2 * j], dy = map[2 * i + 1] - map[2 * j + 1];
            all[t++] = (dx * dx + dy * dy, j);
        }
        Array.Sort(all);
        return all.Take(k).Select(a => a.J).ToArray();
    }

    /// <summary>1 + the number of points nearer than j (ties: lower index first).</summary>
    private static int Rank(double[] distances, int j)
    {
        int rank = 1;
        double dj = distances[j];
        for (int m = 0; m < distances.Length; m++)
            if (distances[m] < dj || (distances[m] == dj && m < j)) rank++;
        return rank;
    }
}
