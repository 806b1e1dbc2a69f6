using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Losses;

/// <summary>
/// The one InfoNCE routine behind UCL (SimCLR), SCL (SupCon, Khosla et al. "L_out") and the joint loss.
/// Positives are "same key": key = example id gives UCL, key = class label gives SCL.
/// Pure functions over tensors; they work on any embedding (linear model or image encoder).
/// </summary>
/// <remarks>
/// For anchor i over the 2N stacked views, with s_ij = sim(z_i, z_j) / tau and j != i:
/// <c>loss_i = -1/|P(i)| * sum_{j in P(i)} [ s_ij - log sum_{k != i} exp s_ik ]</c>, P(i) = { j != i : key_j = key_i }.
/// The loss is the mean over anchors that have at least one positive; an anchor without positives
/// contributes nothing (never NaN). Unlike SupContrast we do not rescale by tau / base_tau.
/// </remarks>
public static class InfoNceLoss
{
    /// <summary>
    /// Row-wise log-probabilities log p(j | i) over all other rows, with the diagonal excluded.
    /// </summary>
    /// <param name="z">Embeddings, [M, p].</param>
    /// <param name="temperature">tau &gt; 0.</param>
    /// <param name="normalize">Cosine similarity (L2-normalised embeddings) when true, plain dot product when false.</param>
    /// <returns>[M, M] log-probabilities; the diagonal holds -inf-like values and must be masked by the caller.</returns>
    public static Tensor LogProbabilities(Tensor z, double temperature, bool normalize = true)
    {
        ValidateTemperature(temperature);
        if (z.dim() != 2) throw new ArgumentException($"embeddings must be [M, p], got [{string.Join(", ", z.shape)}]", nameof(z));
        using var scope = NewDisposeScope();
        var zn = normalize ? nn.functional.normalize(z, p: 2, dim: 1) : z;                 // [M, p]
        var sim = zn.matmul(zn.t()) / temperature;                                              // [M, M]
        var self = eye(z.shape[0], dtype: ScalarType.Bool, device: z.device);                   // [M, M]
        // Exclude self-similarity from the denominator; a large finite negative keeps gradients finite.
        var logits = sim.masked_fill(self, -1e9);                                               // [M, M]
        var logProb = logits - logits.logsumexp(1, keepdim: true);                              // [M, M]
        return logProb.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean over anchors of the average negative log-probability of their positives ("same key", self excluded).
    /// </summary>
    /// <param name="logProb">[M, M] from <see cref="LogProbabilities"/>.</param>
    /// <param name="keys">[M] integer keys; rows with equal keys are positives of each other.</param>
    public static Tensor FromLogProbabilities(Tensor logProb, Tensor keys)
    {
        using var scope = NewDisposeScope();
        long m = logProb.shape[0];
        if (keys.shape.Length != 1 || keys.shape[0] != m)
            throw new ArgumentException($"keys must be [{m}], got [{string.Join(", ", keys.shape)}]", nameof(keys));
        var k = keys.to(logProb.device);
        var self = eye(m, dtype: ScalarType.Bool, device: logProb.device);                      // [M, M]
        var positive = k.unsqueeze(1).eq(k.unsqueeze(0)).logical_and(self.logical_not());     // [M, M]
        var posF = positive.to_type(logProb.dtype);                                             // [M, M]
        var count = posF.sum(1);                                                                // [M]
        var has = count.gt(0);                                                                  // [M]
        // Zero the masked entries before the product so -1e9 diagonals never meet a 0 weight as NaN/inf.
        var posLogProb = logProb.masked_fill(positive.logical_not(), 0.0).mul(posF).sum(1);     // [M]
        var perAnchor = -posLogProb / count.clamp_min(1.0);                                     // [M]
        var nHas = has.sum().to_type(logProb.dtype);                                            // []
        var loss = perAnchor.masked_fill(has.logical_not(), 0.0).sum() / nHas.clamp_min(1.0);   // []
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Generic keyed InfoNCE on stacked embeddings [M, p] with keys [M].</summary>
    public static Tensor Keyed(Tensor z, Tensor keys, double temperature, bool normalize = true)
    {
        using var scope = NewDisposeScope();
        return FromLogProbabilities(LogProbabilities(z, temperature, normalize), keys).MoveToOuterDisposeScope();
    }

    /// <summary>SimCLR NT-Xent on two views, each [N, p]: the positive of a view is the other view of the same example.</summary>
    public static Tensor Ucl(Tensor view1, Tensor view2, double temperature, bool normalize = true)
    {
        CheckViews(view1, view2);
        using var scope = NewDisposeScope();
        var z = cat(new[] { view1, view2 }, 0);                                                 // [2N, p]
        return Keyed(z, ExampleKeys(view1.shape[0], z.device), temperature, normalize).MoveToOuterDisposeScope();
    }

    /// <summary>SupCon L_out on two views [N, p] with class labels [N].</summary>
    public static Tensor Scl(Tensor view1, Tensor view2, Tensor labels, double temperature, bool normalize = true)
    {
        CheckViews(view1, view2);
        CheckLabels(labels, view1.shape[0]);
        using var scope = NewDisposeScope();
        var z = cat(new[] { view1, view2 }, 0);                                                 // [2N, p]
        var keys = cat(new[] { labels, labels }, 0);                                            // [2N]
        return Keyed(z, keys, temperature, normalize).MoveToOuterDisposeScope();
    }

    /// <summary>beta * SCL + (1 - beta) * UCL, sharing one similarity matrix.</summary>
    public static Tensor Joint(Tensor view1, Tensor view2, Tensor labels, double beta, double temperature, bool normalize = true)
    {
        ValidateBeta(beta);
        CheckViews(view1, view2);
        CheckLabels(labels, view1.shape[0]);
        using var scope = NewDisposeScope();
        var z = cat(new[] { view1, view2 }, 0);                                                 // [2N, p]
        var logProb = LogProbabilities(z, temperature, normalize);                              // [2N, 2N]
        var scl = FromLogProbabilities(logProb, cat(new[] { labels, labels }, 0));              // []
        var ucl = FromLogProbabilities(logProb, ExampleKeys(view1.shape[0], z.device));         // []
        return (beta * scl + (1 - beta) * ucl).MoveToOuterDisposeScope();
    }

    /// <summary>Dispatches on <paramref name="kind"/>; <paramref name="labels"/> may be null only for UCL.</summary>
    public static Tensor Compute(ContrastiveLossKind kind, Tensor view1, Tensor view2, Tensor? labels, double beta, double temperature, bool normalize = true) =>
        kind switch
        {
            ContrastiveLossKind.Ucl => Ucl(view1, view2, temperature, normalize),
            ContrastiveLossKind.Scl => Scl(view1, view2, labels ?? throw new ArgumentException("SCL needs class labels"), temperature, normalize),
            ContrastiveLossKind.Joint => Joint(view1, view2, labels ?? throw new ArgumentException("the joint loss needs class labels"), beta, temperature, normalize),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

    /// <summary>Keys 0..N-1 repeated for both views: [2N].</summary>
    public static Tensor ExampleKeys(long n, Device device) => arange(n, dtype: ScalarType.Int64, device: device).repeat(2);

    internal static void ValidateTemperature(double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new UserInputException($"temperature must be a positive finite number, got {temperature}.");
    }

    internal static void ValidateBeta(double beta)
    {
        if (!(beta >= 0 && beta <= 1))
            throw new UserInputException($"beta must be in [0, 1], got {beta}.");
    }

    private static void CheckViews(Tensor v1, Tensor v2)
    {
        if (v1.dim() != 2 || !v1.shape.SequenceEqual(v2.shape))
            throw new ArgumentException($"the two views must both be [N, p]; got [{string.Join(", ", v1.shape)}] and [{string.Join(", ", v2.shape)}]");
    }

    private static void CheckLabels(Tensor labels, long n)
    {
        if (labels.dim() != 1 || labels.shape[0] != n)
            throw new ArgumentException($"labels must be [{n}], got [{string.Join(", ", labels.shape)}]");
    }
}
