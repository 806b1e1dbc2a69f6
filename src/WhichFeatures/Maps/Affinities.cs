namespace WhichFeatures.Maps;

/// <summary>
/// The symmetric joint affinities P of t-SNE as a sparse matrix in compressed rows: row i lists the points j with
/// pᵢⱼ > 0, pᵢⱼ = pⱼᵢ, Σᵢⱼ pᵢⱼ = 1. <see cref="Exact"/> holds every pair; <see cref="FromNeighbours"/> the union of each
/// point's nearest neighbours.
/// </summary>
/// <param name="Rows">N, the number of points.</param>
/// <param name="RowStart">Row i's entries are [RowStart[i], RowStart[i+1]) (length N + 1).</param>
/// <param name="Columns">The column j of each entry.</param>
/// <param name="Values">pᵢⱼ of each entry.</param>
public sealed record Affinities(int Rows, int[] RowStart, int[] Columns, double[] Values)
{
    /// <summary>scikit-learn's floor on each exact pᵢⱼ (<c>np.finfo(np.double).eps</c>).</summary>
    public const double Floor = 2.220446049250313e-16;

    /// <summary>
    /// Every pair: pᵢⱼ = max((p(j|i) + p(i|j)) / Σ, ε), with p(j|i) from <see cref="PerplexitySearch"/> over all
    /// other points' squared distances (row-major N × N, diagonal ignored).
    /// </summary>
    public static Affinities Exact(double[] squaredDistances, int n, double perplexity)
    {
        var conditional = new double[n * n];
        Parallel.For(0, n, i =>
        {
            var d = new double[n - 1];
            for (int j = 0, k = 0; j < n; j++) if (j != i) d[k++] = squaredDistances[i * n + j];
            var p = new double[n - 1];
            PerplexitySearch.Conditional(d, perplexity, p);
            for (int j = 0, k = 0; j < n; j++) if (j != i) conditional[i * n + j] = p[k++];
        });
        double total = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (j != i) total += conditional[i * n + j] + conditional[j * n + i];
        total = Math.Max(total, Floor);
        var rowStart = new int[n + 1];
        var columns = new int[n * (n - 1)];
        var values = new double[n * (n - 1)];
        for (int i = 0, e = 0; i < n; i++)
        {
            rowStart[i] = e;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                columns[e] = j;
                values[e++] = Math.Max((conditional[i * n + j] + conditional[j * n + i]) / total, Floor);
            }
        }
        rowStart[n] = n * (n - 1);
        return new Affinities(n, rowStart, columns, values);
    }

    /// <summary>
    /// Sparse: p(j|i) over i's k nearest neighbours (squared distances, nearest first), then P = (C + Cᵀ) / Σ(C + Cᵀ)
    /// where C holds the conditionals, as scikit-learn's <c>_joint_probabilities_nn</c>.
    /// </summary>
    public static Affinities FromNeighbours(Neighbours neighbours, double perplexity)
    {
        int n = neighbours.Rows, k = neighbours.K;
        var conditional = new double[n * k];
        Parallel.For(0, n, i => PerplexitySearch.Conditional(
            neighbours.SquaredDistances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k)));
        var rows = new SortedDictionary<int, double>[n];
        for (int i = 0; i < n; i++) rows[i] = [];
        for (int i = 0; i < n; i++)
            for (int t = 0; t < k; t++)
            {
                int j = neighbours.Indices[i * k + t];
                double c = conditional[i * k + t];
                rows[i][j] = rows[i].GetValueOrDefault(j) + c;                      // C
                rows[j][i] = rows[j].GetValueOrDefault(i) + c;                      // + Cᵀ
            }
        double total = 0;
        foreach (var row in rows) foreach (var v in row.Values) total += v;
        total = Math.Max(total, Floor);
        var rowStart = new int[n + 1];
        for (int i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + rows[i].Count;
        var columns = new int[rowStart[n]];
        var values = new double[rowStart[n]];
        for (int i = 0; i < n; i++)
        {
            int e = rowStart[i];
            foreach (var (j, v) in rows[i]) { columns[e] = j; values[e++] = v / total; }
        }
        return new Affinities(n, rowStart, columns, values);
    }

    /// <summary>The same matrix times <paramref name="factor"/> (early exaggeration).</summary>
    public Affinities Scaled(double factor) => this with { Values = Values.Select(v => v * factor).ToArray() };
}
