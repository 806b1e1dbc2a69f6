using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnostics;

/// <summary>
/// RankMe, the effective rank of Garrido et al. (2023), of an embedding matrix Z [N, D] (not centred):
/// with σ_1..σ_K (K = min(N, D)) the singular values of Z, p_k = σ_k / (Σ_j σ_j) + ε with ε = 1e-7, and
/// RankMe(Z) = exp(−Σ_k p_k log p_k). It lies between 1 (one direction carries everything) and K (all singular
/// values equal). Only min(N, D) singular values exist, so with fewer points than dimensions the bound is N, not D.
/// Computed in float64.
/// </summary>
public static class EffectiveRank
{
    /// <summary>The ε added to every normalised singular value (as in Garrido et al.).</summary>
    public const double Epsilon = 1e-7;

    /// <summary>The normalisation in words, for reports.</summary>
    public const string Definition = "RankMe = exp(−Σ_k p_k log p_k), p_k = σ_k / Σ_j σ_j + 1e-7, σ = singular values of the uncentred embedding matrix [N, D] (min(N, D) of them)";

    /// <summary>RankMe of <paramref name="z"/> [N, D].</summary>
    public static double RankMe(Tensor z)
    {
        using var scope = NewDisposeScope();
        var s = linalg.svdvals(z.to_type(ScalarType.Float64).cpu());                           // [min(N, D)]
        double total = s.sum().ToDouble();
        if (!(total > 0)) return 1.0;
        var p = s / total + Epsilon;                                                            // [K]
        return Math.Exp(-(p * p.log()).sum().ToDouble());
    }
}
