using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Losses;

/// <summary>
/// The spectral contrastive loss (HaoChen et al. 2021) on a finite set of M embedded rows:
/// <c>L = -2 Σ_ij A_ij z_i·z_j + (1/M²) Σ_ij (z_i·z_j)²</c>, where A ≥ 0 (symmetric, summing to 1) spreads
/// the positive pairs and every ordered pair (i, j), i = j included, is a negative pair (x⁻ an independent draw
/// from the empirical distribution of the rows).
/// </summary>
/// <remarks>
/// Positives: SCL = rows with the same class label (self excluded); UCL = the two views of the same example;
/// joint = beta·A_SCL + (1 - beta)·A_UCL, which is the same as beta·L_SCL + (1 - beta)·L_UCL because the loss is
/// linear in A and both share the negative term. With G = Z Zᵀ the loss is
/// <c>(1/M²)‖G − M²A‖²_F − M²‖A‖²_F</c>, so it depends on W only through the Gram matrix of the rows.
/// </remarks>
public static class SpectralContrastiveLoss
{
    /// <summary>The loss for embeddings <paramref name="z"/> [M, p] and positive weights <paramref name="a"/> [M, M].</summary>
    public static Tensor Weighted(Tensor z, Tensor a)
    {
        CheckWeights(z, a);
        using var scope = NewDisposeScope();
        long m = z.shape[0];
        var gram = z.matmul(z.t());                                                  // [M, M]
        var attract = (a * gram).sum();                                              // []
        var repel = gram.pow(2).sum() / ((double)m * m);                             // []
        return (-2 * attract + repel).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hand-written gradient of <see cref="Weighted"/> for the linear model Z = X Wᵀ with respect to W:
    /// <c>∂L/∂Z = −4 A Z + (4/M²) G Z</c> (A symmetric) and <c>∂L/∂W = (∂L/∂Z)ᵀ X</c>, [p, d].
    /// </summary>
    /// <param name="x">Rows, [M, d].</param>
    /// <param name="w">Weights, [p, d].</param>
    /// <param name="a">Positive weights, [M, M], symmetric.</param>
    public static Tensor GradientW(Tensor x, Tensor w, Tensor a)
    {
        using var scope = NewDisposeScope();
        long m = x.shape[0];
        var z = x.matmul(w.t());                                                     // [M, p]
        CheckWeights(z, a);
        var gram = z.matmul(z.t());                                                  // [M, M]
        var dz = -4 * a.matmul(z) + (4.0 / ((double)m * m)) * gram.matmul(z);       // [M, p]
        return dz.t().matmul(x).MoveToOuterDisposeScope();                           // [p, d]
    }

    /// <summary>Positive weights from keys: A_ij ∝ [key_i = key_j, i ≠ j], normalised to sum 1 (all zero if no pair).</summary>
    public static Tensor PositiveWeightsFromKeys(Tensor keys, ScalarType dtype = ScalarType.Float64)
    {
        if (keys.dim() != 1) throw new ArgumentException($"keys must be [M], got [{string.Join(", ", keys.shape)}]", nameof(keys));
        using var scope = NewDisposeScope();
        long m = keys.shape[0];
        var same = keys.unsqueeze(1).eq(keys.unsqueeze(0));                          // [M, M]
        var mask = same.logical_and(eye(m, dtype: ScalarType.Bool, device: keys.device).logical_not()).to_type(dtype);
        var total = mask.sum().clamp_min(1.0);                                       // []
        return (mask / total).MoveToOuterDisposeScope();
    }

    /// <summary>SCL weights on stacked views [view1; view2] with labels [N]: positives are other rows of the same class.</summary>
    public static Tensor SclWeights(Tensor labels) => PositiveWeightsFromKeys(cat(new[] { labels, labels }, 0));

    /// <summary>UCL weights on stacked views [view1; view2] of N examples: the positive of a row is the other view.</summary>
    public static Tensor UclWeights(long n, Device? device = null) =>
        PositiveWeightsFromKeys(InfoNceLoss.ExampleKeys(n, device ?? CPU));

    /// <summary>Joint weights beta·A_SCL + (1 - beta)·A_UCL on stacked views.</summary>
    public static Tensor JointWeights(Tensor labels, double beta)
    {
        InfoNceLoss.ValidateBeta(beta);
        using var scope = NewDisposeScope();
        var scl = SclWeights(labels);
        var ucl = UclWeights(labels.shape[0], labels.device);
        return (beta * scl + (1 - beta) * ucl).MoveToOuterDisposeScope();
    }

    /// <summary>Weights for <paramref name="kind"/> on stacked views of N examples; labels may be null only for UCL.</summary>
    public static Tensor Weights(ContrastiveLossKind kind, long n, Tensor? labels, double beta) => kind switch
    {
        ContrastiveLossKind.Ucl => UclWeights(n),
        ContrastiveLossKind.Scl => SclWeights(labels ?? throw new ArgumentException("SCL needs class labels")),
        ContrastiveLossKind.Joint => JointWeights(labels ?? throw new ArgumentException("the joint loss needs class labels"), beta),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Spectral UCL on two views [N, p].</summary>
    public static Tensor Ucl(Tensor view1, Tensor view2)
    {
        using var scope = NewDisposeScope();
        return Weighted(cat(new[] { view1, view2 }, 0), UclWeights(view1.shape[0], view1.device).to_type(view1.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>Spectral SCL on two views [N, p] with class labels [N].</summary>
    public static Tensor Scl(Tensor view1, Tensor view2, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return Weighted(cat(new[] { view1, view2 }, 0), SclWeights(labels).to_type(view1.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>Spectral joint loss beta·SCL + (1 - beta)·UCL on two views [N, p].</summary>
    public static Tensor Joint(Tensor view1, Tensor view2, Tensor labels, double beta)
    {
        using var scope = NewDisposeScope();
        return Weighted(cat(new[] { view1, view2 }, 0), JointWeights(labels, beta).to_type(view1.dtype)).MoveToOuterDisposeScope();
    }

    private static void CheckWeights(Tensor z, Tensor a)
    {
        if (z.dim() != 2) throw new ArgumentException($"embeddings must be [M, p], got [{string.Join(", ", z.shape)}]", nameof(z));
        long m = z.shape[0];
        if (a.dim() != 2 || a.shape[0] != m || a.shape[1] != m)
            throw new ArgumentException($"positive weights must be [{m}, {m}], got [{string.Join(", ", a.shape)}]", nameof(a));
    }
}
