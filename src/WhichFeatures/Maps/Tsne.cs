using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Maps;

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten and Hinton, 2008) into 2-D, following scikit-learn
/// 1.2's <c>TSNE</c> step by step (affinities, initialisation, learning-rate rule, two-phase optimiser) so that its
/// maps can be checked against scikit-learn's (docs/benchmarks.md, "t-SNE"). Exact for small N, Barnes-Hut above
/// <see cref="TsneOptions.ExactUpTo"/> rows. Deterministic: the affinities, the gradient and the optimiser add in a
/// fixed order whatever the CPU or thread count. Two steps run in libtorch and can round differently on another
/// instruction set: the PCA start (an eigendecomposition) and the float32 preselection of neighbour candidates
/// (<see cref="Neighbours"/>); the same CPU kind gives the same map.
/// </summary>
public static class Tsne
{
    /// <summary>Maps the rows of <paramref name="data"/> (row-major N × D, Euclidean distances) to 2-D.</summary>
    /// <exception cref="ArgumentException">Fewer than 4 rows, or a perplexity not below N.</exception>
    public static TsneMap Fit(double[] data, int n, int d, TsneOptions options, CancellationToken cancellation = default)
    {
        if (n < 4) throw new ArgumentException($"t-SNE needs at least 4 rows, got {n}", nameof(n));
        if (options.Perplexity >= n) throw new ArgumentException($"the perplexity ({options.Perplexity}) must be below the number of rows ({n})", nameof(options));
        if (data.Length != (long)n * d) throw new ArgumentException($"data holds {data.Length} values, not {n} × {d}", nameof(data));
        bool exact = options.UsesExactFor(n);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double[]? all = exact ? Neighbours.AllSquaredDistances(data, n, d) : null;
        var knn = exact ? null : Neighbours.Find(data, n, d, Math.Min(n - 1, (int)(3 * options.Perplexity + 1)), cancellation);
        double neighbours = clock.Elapsed.TotalSeconds;
        var p = exact ? Affinities.Exact(all!, n, options.Perplexity) : Affinities.FromNeighbours(knn!, options.Perplexity);
        double affinities = clock.Elapsed.TotalSeconds;
        var y = options.Init == TsneInit.Pca ? PcaStart(data, n, d) : RandomStart(n, options.Seed);
        var (kl, iterations) = TsneDescent.Run(p, y, options, exact ? null : options.Angle, cancellation);
        return new TsneMap(y, kl, iterations, exact ? TsneMethod.Exact : TsneMethod.BarnesHut)
        {
            Seconds = (neighbours, affinities - neighbours, clock.Elapsed.TotalSeconds - affinities),
        };
    }

    /// <summary>Maps the rows of a [N, D] tensor (any floating type); see <see cref="Fit(double[], int, int, TsneOptions, CancellationToken)"/>.</summary>
    public static TsneMap Fit(Tensor features, TsneOptions options, CancellationToken cancellation = default)
    {
        using var x = features.to_type(ScalarType.Float64).contiguous().cpu();
        return Fit(x.data<double>().ToArray(), (int)x.shape[0], (int)x.shape[1], options, cancellation);
    }

    /// <summary>
    /// The top two principal components of the centred data (eigenvectors of the float64 covariance; each vector's
    /// largest entry made positive), scaled so the first coordinate's standard deviation is 1e-4.
    /// </summary>
    internal static double[] PcaStart(double[] data, int n, int d)
    {
        using var scope = NewDisposeScope();
        var x = tensor(data, [n, d]);                                                  // [N, D]
        var centred = x - x.mean([0], keepdim: true);                                  // [N, D]
        var (_, vectors) = linalg.eigh(centred.t().matmul(centred));                   // ascending eigenvalues
        var top = vectors.narrow(1, Math.Max(0, d - 2), Math.Min(2, d)).flip(1);       // [D, ≤2], largest first
        if (top.shape[1] < 2) top = cat([top, zeros(d, 1, dtype: ScalarType.Float64)], 1);
        var sign = top.gather(0, top.abs().argmax(0, keepdim: true)).sign();          // [1, 2]
        top = top * where(sign == 0, ones_like(sign), sign);
        var y = centred.matmul(top);                                                   // [N, 2]
        double sd = y[TensorIndex.Colon, 0].std(unbiased: false).ToDouble();
        if (sd > 0) y = y / sd * 1e-4;
        return y.contiguous().data<double>().ToArray();
    }

    /// <summary>N(0, 1e-4²) per coordinate, from the seed.</summary>
    internal static double[] RandomStart(int n, int seed)
    {
        var rng = new Random(Seeds.TsneStart(seed));
        var y = new double[2 * n];
        for (int c = 0; c < y.Length; c++)
            y[c] = 1e-4 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return y;
    }
}
