using static TorchSharp.torch;

namespace WhichFeatures.Maps;

/// <summary>
/// Each point's k nearest other points by Euclidean distance, nearest first (ties by index), with the squared
/// distances computed in float64 by a plain loop. Candidates are preselected with a float32 matrix product, which
/// only decides which k + <see cref="Spare"/> points are measured exactly; the order and distances are the loop's.
/// </summary>
/// <param name="Rows">N.</param>
/// <param name="K">Neighbours per point.</param>
/// <param name="Indices">Row-major N × K neighbour indices.</param>
/// <param name="SquaredDistances">Row-major N × K squared distances, ascending per row.</param>
public sealed record Neighbours(int Rows, int K, int[] Indices, double[] SquaredDistances)
{
    /// <summary>Extra candidates measured exactly per point, so float32 rounding in the preselection cannot drop a true neighbour.</summary>
    public const int Spare = 16;

    private const int Block = 1024;

    /// <summary>The <paramref name="k"/> nearest neighbours of every row of <paramref name="data"/> (row-major N × D).</summary>
    public static Neighbours Find(double[] data, int n, int d, int k, CancellationToken cancellation = default)
    {
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"need 1 ≤ k < N = {n}");
        int candidates = Math.Min(n, k + 1 + Spare);                      // + 1: the point itself
        var indices = new int[n * k];
        var distances = new double[n * k];
        using var scope = NewDisposeScope();
        var x = tensor(data, [n, d]).to_type(ScalarType.Float32);          // [N, D]
        var norms = x.pow(2).sum(1);                                        // [N]
        for (int start = 0; start < n; start += Block)
        {
            cancellation.ThrowIfCancellationRequested();
            int rows = Math.Min(Block, n - start);
            using var inner = NewDisposeScope();
            var a = x.narrow(0, start, rows);                               // [B, D]
            var d2 = norms.narrow(0, start, rows).unsqueeze(1) + norms.unsqueeze(0) - 2 * a.matmul(x.t()); // [B, N]
            var top = d2.topk(candidates, dim: 1, largest: false).indexes.data<long>().ToArray();             // [B, C]
            Parallel.For(0, rows, r => Refine(data, d, start + r, top.AsSpan(r * candidates, candidates), k, indices, distances));
        }
        return new Neighbours(n, k, indices, distances);
    }

    /// <summary>Exact float64 distances to the candidates of <paramref name="i"/>; keeps the k nearest (ties by index).</summary>
    private static void Refine(double[] data, int d, int i, ReadOnlySpan<long> candidates, int k, int[] indices, double[] distances)
    {
        var pairs = new List<(double D2, int J)>(candidates.Length);
        foreach (long c in candidates)
        {
            int j = (int)c;
            if (j != i) pairs.Add((SquaredDistance(data, d, i, j), j));
        }
        pairs.Sort();
        for (int t = 0; t < k; t++) (distances[i * k + t], indices[i * k + t]) = pairs[t];
    }

    /// <summary>‖xᵢ − xⱼ‖² summed in index order (the same number on every CPU).</summary>
    public static double SquaredDistance(double[] data, int d, int i, int j)
    {
        double s = 0;
        for (int c = 0; c < d; c++)
        {
            double t = data[i * d + c] - data[j * d + c];
            s += t * t;
        }
        return s;
    }

    /// <summary>All pairwise squared distances (row-major N × N), by the same loop.</summary>
    public static double[] AllSquaredDistances(double[] data, int n, int d)
    {
        var all = new double[n * n];
        Parallel.For(0, n, i =>
        {
            for (int j = i + 1; j < n; j++) all[i * n + j] = all[j * n + i] = SquaredDistance(data, d, i, j);
        });
        return all;
    }
}
