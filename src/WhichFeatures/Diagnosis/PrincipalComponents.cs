using TorchSharp;
using WhichFeatures.Maps;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// The 2-D PCA of the scatter plots: the top two principal components (eigenvectors of the float64 covariance of
/// all rows), applied to a seeded subsample of at most <c>maxPoints</c> rows.
/// </summary>
public static class PrincipalComponents
{
    /// <summary>(pc1, pc2, row) per plotted row, and the share of variance of the two components.</summary>
    public static (List<(double X, double Y, long Row)> Points, (double First, double Second) Variance) Project2(Tensor features, int maxPoints, int seed)
    {
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float64);                                          // [N, D]
        var centred = x - x.mean([0], keepdim: true);                                          // [N, D]
        var cov = centred.t().matmul(centred) / Math.Max(1, x.shape[0] - 1);                   // [D, D]
        var (evals, evecs) = linalg.eigh(cov);                                                 // ascending
        long d = evals.shape[0];
        double total = Math.Max(evals.clamp_min(0).sum().ToDouble(), 1e-300);
        var top = evecs[TensorIndex.Colon, TensorIndex.Slice(Math.Max(0, d - 2), d)].flip(1); // [D, 2] largest first
        if (top.shape[1] < 2) top = cat([top, zeros(d, 2 - top.shape[1], dtype: ScalarType.Float64)], 1);
        var rows = MapFigures.Subsample(x.shape[0], maxPoints, seed);
        var proj = centred.index_select(0, tensor(rows)).matmul(top).data<double>().ToArray(); // [n, 2]
        var pts = rows.Select((r, i) => (proj[2 * i], proj[2 * i + 1], r)).ToList();
        double v1 = evals[d - 1].ToDouble() / total, v2 = d > 1 ? evals[d - 2].ToDouble() / total : 0;
        return (pts, (v1, v2));
    }
}
