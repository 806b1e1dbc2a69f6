using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// NC1, the within-class variability collapse of Papyan et al. (2020), per class and overall.
/// <para>Definition (features h_i in R^D, class y_i, C classes, n_c points in class c, N points):</para>
/// <list type="bullet">
/// <item>μ_c = mean of class c; μ_G = mean of the C class means (so class sizes do not tilt it);</item>
/// <item>Σ_B = (1/C) Σ_c (μ_c − μ_G)(μ_c − μ_G)ᵀ (between-class scatter, rank ≤ C − 1);</item>
/// <item>Σ_c = (1/n_c) Σ_{i in c} (h_i − μ_c)(h_i − μ_c)ᵀ; Σ_W = Σ_c (n_c/N) Σ_c (within-class scatter);</item>
/// <item>NC1_c = tr(Σ_c Σ_B⁺) / C and NC1 = tr(Σ_W Σ_B⁺) / C = Σ_c (n_c/N) NC1_c.</item>
/// </list>
/// Σ_B⁺ is the Moore-Penrose pseudo-inverse from the symmetric eigendecomposition, keeping eigenvalues above
/// 1e-10 × the largest. NC1 → 0 when every class shrinks to its mean (full collapse); it is scale-free.
/// Computed in float64.
/// </summary>
public static class WithinClassScatter
{
    /// <summary>Relative eigenvalue cut-off of the pseudo-inverse.</summary>
    public const double PinvCutoff = 1e-10;

    /// <summary>NC1 overall and per class (ordered by class value).</summary>
    /// <param name="Overall">tr(Σ_W Σ_B⁺) / C.</param>
    /// <param name="PerClass">(class value, n_c, NC1_c).</param>
    public sealed record Result(double Overall, IReadOnlyList<(long Class, long Count, double Nc1)> PerClass);

    /// <summary>Computes NC1 for <paramref name="features"/> [N, D] and <paramref name="classes"/> [N] int64 (at least 2 classes).</summary>
    public static Result Nc1(Tensor features, Tensor classes)
    {
        using var scope = NewDisposeScope();
        var h = features.to_type(ScalarType.Float64).cpu();                                   // [N, D]
        var y = classes.to_type(ScalarType.Int64).cpu();                                      // [N]
        var values = y.unique(sorted: true).output.data<long>().ToArray();
        int c = values.Length;
        if (c < 2) throw new ArgumentException("NC1 needs at least 2 classes");
        long n = h.shape[0];
        var means = stack(values.Select(v => h[y.eq(v)].mean([0])).ToArray());               // [C, D]
        var centred = means - means.mean([0], keepdim: true);                                 // [C, D]
        var sb = centred.t().matmul(centred) / c;                                             // [D, D]
        var (evals, evecs) = linalg.eigh(sb);                                                 // [D], [D, D]
        double top = evals.max().ToDouble();
        var inv = where(evals.gt(PinvCutoff * top), evals.reciprocal(), zeros_like(evals));   // [D]
        var sbPinv = (evecs * inv.unsqueeze(0)).matmul(evecs.t());                            // [D, D]
        var per = new List<(long, long, double)>();
        double overall = 0;
        for (int k = 0; k < c; k++)
        {
            var hc = h[y.eq(values[k])] - means[k];                                           // [n_c, D]
            long nc = hc.shape[0];
            // tr(Σ_c Σ_B⁺) = (1/n_c) Σ_i (h_i − μ_c)ᵀ Σ_B⁺ (h_i − μ_c)
            double nc1 = hc.matmul(sbPinv).mul(hc).sum().ToDouble() / nc / c;
            per.Add((values[k], nc, nc1));
            overall += (double)nc / n * nc1;
        }
        return new Result(overall, per);
    }
}
