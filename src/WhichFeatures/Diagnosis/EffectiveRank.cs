using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

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

    /// <summary>Rows per block of the tall-skinny QR that comes before the singular values of a tall matrix.</summary>
    public const int BlockRows = 4096;

    /// <summary>
    /// RankMe of <paramref name="z"/> [N, D]. A tall matrix (N &gt; 2D) is first reduced to its R factor by a
    /// tall-skinny QR in blocks of <see cref="BlockRows"/> rows: orthogonal steps keep the singular values, and
    /// <paramref name="ct"/> is checked between blocks, so a 50,000 x 512 matrix never holds up Ctrl-C for long.
    /// </summary>
    public static double RankMe(Tensor z, CancellationToken ct = default)
    {
        using var scope = NewDisposeScope();
        var x = z.to_type(ScalarType.Float64).cpu();                                          // [N, D]
        long n = x.shape[0], d = x.shape[1];
        if (n > 2 * d)
        {
            var blocks = new List<Tensor>();
            for (long start = 0; start < n; start += BlockRows)
            {
                ct.ThrowIfCancellationRequested();
                blocks.Add(linalg.qr(x.narrow(0, start, Math.Min(BlockRows, n - start))).R);    // [min(rows, D), D]
            }
            ct.ThrowIfCancellationRequested();
            x = blocks.Count == 1 ? blocks[0] : linalg.qr(cat(blocks, 0)).R;                    // [D, D]
        }
        ct.ThrowIfCancellationRequested();
        var s = linalg.svdvals(x);                                                              // [min(N, D)]
        double total = s.sum().ToDouble();
        if (!(total > 0)) return 1.0;
        var p = s / total + Epsilon;                                                            // [K]
        return Math.Exp(-(p * p.log()).sum().ToDouble());
    }
}
