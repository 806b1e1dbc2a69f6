using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.LinearSetting;

/// <summary>The closed-form minimum-norm minimizer of the spectral loss and the solutions built from it.</summary>
/// <param name="W">Minimum-Frobenius-norm minimizer, [p, d].</param>
/// <param name="Z">Optimal embedding of the training rows Z* = X W*ᵀ, [M, p].</param>
/// <param name="Eigenvalues">Eigenvalues of the target M²A, descending, [M].</param>
/// <param name="TieBroken">True when the top-p eigenvalues were tied and the norm chose among them (UCL: PCA-like).</param>
public sealed record MinNormSolution(Tensor W, Tensor Z, Tensor Eigenvalues, bool TieBroken);

/// <summary>
/// Solvers for the spectral contrastive loss on a fixed set of rows X [M, d] with positive weights A [M, M].
/// </summary>
/// <remarks>
/// <para><b>Derivation (min-norm SCL).</b> With Z = X Wᵀ and G = Z Zᵀ, the loss is
/// L = (1/M²)‖G − M²A‖²_F − M²‖A‖²_F (see <see cref="Losses.SpectralContrastiveLoss"/>), so it depends on W only
/// through G, which ranges over the PSD matrices of rank ≤ p when X has full row rank (d ≥ M, noise makes it so).
/// By Eckart–Young the optimal Gram is G* = Σ_{k ≤ p, λ_k &gt; 0} λ_k v_k v_kᵀ over the eigenpairs of M²A, so
/// Z* = V_p Λ_p^{1/2} up to a rotation. For SCL with balanced classes, M²A has one eigenvalue per class, on the
/// class indicator vectors, so G* is constant on same-class pairs and 0 across classes: every minimizer collapses
/// classes on the training rows. Among all W with X Wᵀ = Z*, the minimum Frobenius norm one is the least-squares
/// solution W*ᵀ = Xᵀ(XXᵀ)⁺Z*, i.e. <c>W* = Z*ᵀ (X Xᵀ)⁺ X</c>: its rows lie in the row space of X and any other
/// solution adds Δ with X Δᵀ = 0, orthogonal to it, so ‖W* + Δ‖² = ‖W*‖² + ‖Δ‖².</para>
/// <para><b>Derivation (min-norm UCL, top-p / PCA-like).</b> For UCL on N view pairs (M = 2N rows), A puts 1/M on
/// the two views of each example, so M²A = M·(pairing matrix): the eigenvalue M is N-fold degenerate on the span S of
/// the pair-sum vectors (e_i + e_{i+N})/√2, and the loss alone does not say which p directions of S to use. Every
/// choice Z = √M·U with U orthonormal [M, p] in S is a minimizer; its min-norm weight has
/// ‖W‖² = tr(Zᵀ(XXᵀ)⁺Z) = M·tr(Uᵀ(XXᵀ)⁺U), which is smallest for U = the p bottom eigenvectors of (XXᵀ)⁺
/// restricted to S. On S, XXᵀ ≈ σ²I + 2Σ_f ‖f‖² f̂f̂ᵀ over the features both views share (f the per-example
/// values), so this keeps the p shared features with the largest energy ‖f‖²: a PCA of the shared features,
/// where an easy feature (c &gt; a) wins over the class feature when p is too small. The same tie-break applies to any
/// degenerate eigenvalue at the p-th position (e.g. the joint loss's UCL eigenspace).</para>
/// </remarks>
public static class SpectralMinimizer
{
    /// <summary>The minimum-norm minimizer of the spectral loss for rows <paramref name="x"/> [M, d], weights <paramref name="a"/> [M, M], embedding size <paramref name="p"/>.</summary>
    public static MinNormSolution MinNorm(Tensor x, Tensor a, int p)
    {
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "embedding size must be ≥ 1");
        using var scope = NewDisposeScope();
        x = x.to_type(ScalarType.Float64);
        long m = x.shape[0];
        var target = a.to_type(ScalarType.Float64) * ((double)m * m);                            // [M, M]
        target = (target + target.t()) / 2;
        var (evalsAsc, evecsAsc) = linalg.eigh(target);                                            // [M], [M, M]
        var evals = evalsAsc.flip(0);                                                               // [M] descending
        var evecs = evecsAsc.flip(1);                                                               // [M, M]
        var lam = evals.data<double>().ToArray();
        double tol = 1e-8 * Math.Max(Math.Abs(lam[0]), 1.0);
        int positive = lam.Count(v => v > tol);
        int k = Math.Min(p, positive);
        using var kEig = SymmetricEigen.Of(x.matmul(x.t()));                                         // XXᵀ = Q diag(ev) Qᵀ
        var kPinv = kEig.PseudoInverse();                                                           // [M, M]
        var z = zeros(m, p, dtype: ScalarType.Float64);                                             // [M, p]
        bool tieBroken = false;
        if (k > 0)
        {
            double boundary = lam[k - 1];
            var above = Enumerable.Range(0, lam.Length).Where(i => lam[i] > boundary + tol).ToArray();
            var tie = Enumerable.Range(0, lam.Length).Where(i => Math.Abs(lam[i] - boundary) <= tol).ToArray();
            int need = k - above.Length;
            var cols = new List<Tensor>();
            foreach (var i in above) cols.Add(evecs[.., i] * Math.Sqrt(lam[i]));                       // [M]
            if (tie.Length == need)
            {
                foreach (var i in tie) cols.Add(evecs[.., i] * Math.Sqrt(lam[i]));
            }
            else
            {
                // Degenerate eigenspace: the loss is indifferent; the norm ‖W‖² = λ tr(Uᵀ K⁺ U) decides.
                // Directions outside range(K) are unreachable by W x, so they get a prohibitive cost.
                tieBroken = true;
                var vt = evecs.index_select(1, tensor(tie.Select(i => (long)i).ToArray()));             // [M, T]
                double big = 1e6 * Math.Max(kPinv.abs().max().ToDouble(), 1.0);
                var cost = kPinv + big * (eye(m, dtype: ScalarType.Float64) - kEig.RangeProjector());   // [M, M]
                var b = vt.t().matmul(cost).matmul(vt);                                                  // [T, T]
                var (_, e) = linalg.eigh((b + b.t()) / 2);                                               // ascending
                var u = vt.matmul(e[.., ..need]);                                                        // [M, need]
                for (int j = 0; j < need; j++) cols.Add(u[.., j] * Math.Sqrt(boundary));
            }
            var zk = stack(cols.ToArray(), 1);                                                           // [M, k]
            z[.., ..k] = zk;
        }
        var w = z.t().matmul(kPinv).matmul(x);                                                          // [p, d] = Z*ᵀ (XXᵀ)⁺ X
        return new MinNormSolution(w.MoveToOuterDisposeScope(), x.matmul(w.t()).MoveToOuterDisposeScope(), evals.MoveToOuterDisposeScope(), tieBroken);
    }

    /// <summary>
    /// The part of <paramref name="v"/> [d] orthogonal to the row space of <paramref name="x"/> [M, d]:
    /// <c>v − Xᵀ(XXᵀ)⁺X v</c>. Adding it (times any vector) to W leaves X Wᵀ, hence the training loss, unchanged.
    /// </summary>
    public static Tensor NullSpaceComponent(Tensor x, Tensor v)
    {
        using var scope = NewDisposeScope();
        x = x.to_type(ScalarType.Float64);
        var kPinv = PseudoInverse(x.matmul(x.t()));                                                 // [M, M]
        var proj = x.t().matmul(kPinv.matmul(x.matmul(v)));                                         // [d]
        return (v - proj).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The non-collapsing minimizer W* + alpha·Δ with Δ = e_row ⊗ (v − Xᵀ(XXᵀ)⁺X v): same training embeddings
    /// (X Δᵀ = 0), but row <paramref name="row"/> now reads the feature direction <paramref name="v"/> on new data.
    /// </summary>
    public static Tensor AddNullSpaceDirection(Tensor w, Tensor x, Tensor v, int row, double alpha)
    {
        if (row < 0 || row >= w.shape[0]) throw new ArgumentOutOfRangeException(nameof(row), row, $"W has {w.shape[0]} rows");
        using var scope = NewDisposeScope();
        var delta = zeros_like(w);                                                                  // [p, d]
        delta[row] = NullSpaceComponent(x, v);
        return (w + alpha * delta).MoveToOuterDisposeScope();
    }

    /// <summary>Moore–Penrose pseudo-inverse of a symmetric PSD matrix via eigh (relative cutoff 1e-10).</summary>
    internal static Tensor PseudoInverse(Tensor k)
    {
        using var eig = SymmetricEigen.Of(k);
        return eig.PseudoInverse();
    }

    /// <summary>
    /// One eigendecomposition of a symmetric PSD matrix K = Q diag(ev) Qᵀ, from which the pseudo-inverse and the
    /// projector onto range(K) are built on demand (each is an M³ product; the projector is only needed to break ties).
    /// </summary>
    internal sealed class SymmetricEigen : IDisposable
    {
        private readonly Tensor _q, _inv, _keep;   // [M, M], [M], [M]

        private SymmetricEigen(Tensor q, Tensor inv, Tensor keep) { _q = q; _inv = inv; _keep = keep; }

        /// <summary>Decomposes (K + Kᵀ)/2; eigenvalues below 1e-10 of the largest count as zero.</summary>
        public static SymmetricEigen Of(Tensor k)
        {
            using var scope = NewDisposeScope();
            var (ev, q) = linalg.eigh((k + k.t()) / 2);                                             // [M], [M, M]
            double max = ev.abs().max().ToDouble();
            var keep = ev.gt(1e-10 * Math.Max(max, 1e-300));                                        // [M]
            var inv = where(keep, 1.0 / ev.clamp_min(1e-300), zeros_like(ev));                      // [M]
            return new SymmetricEigen(q.MoveToOuterDisposeScope(), inv.MoveToOuterDisposeScope(), keep.MoveToOuterDisposeScope());
        }

        /// <summary>K⁺ = Q diag(1/ev on the kept eigenvalues) Qᵀ, [M, M].</summary>
        public Tensor PseudoInverse() => (_q * _inv.unsqueeze(0)).matmul(_q.t());                   // [M, M]

        /// <summary>The orthogonal projector onto range(K), [M, M].</summary>
        public Tensor RangeProjector() => (_q * _keep.to_type(ScalarType.Float64).unsqueeze(0)).matmul(_q.t()); // [M, M]

        /// <inheritdoc />
        public void Dispose() { _q.Dispose(); _inv.Dispose(); _keep.Dispose(); }
    }
}
