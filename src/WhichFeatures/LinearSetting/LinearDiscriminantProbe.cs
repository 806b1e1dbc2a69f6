using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.LinearSetting;

/// <summary>
/// The linear probe used throughout the theory lab: linear discriminant analysis (class means, one pooled
/// covariance with a small ridge of 1e-6 x its mean variance, empirical priors), fitted in closed form.
/// It is a linear classifier, deterministic, scale-invariant per embedding (any rescaling of W gives the same
/// predictions), and unlike least-squares one-vs-rest it separates several classes lying on one line.
/// </summary>
public static class LinearDiscriminantProbe
{
    /// <summary>Relative ridge on the pooled covariance.</summary>
    public const double Ridge = 1e-6;

    /// <summary>Fits on (<paramref name="fitZ"/>, <paramref name="fitY"/>) and returns the accuracy on (<paramref name="evalZ"/>, <paramref name="evalY"/>).</summary>
    /// <param name="fitZ">[N, p] embeddings to fit on.</param>
    /// <param name="fitY">[N] labels 0..classes-1.</param>
    /// <param name="evalZ">[N', p] embeddings to score.</param>
    /// <param name="evalY">[N'] labels.</param>
    /// <param name="classes">Number of label values.</param>
    public static double Accuracy(Tensor fitZ, Tensor fitY, Tensor evalZ, Tensor evalY, int classes)
    {
        using var scope = NewDisposeScope();
        var pred = Predict(fitZ, fitY, evalZ, classes);                                            // [N']
        return pred.eq(evalY).to_type(ScalarType.Float64).mean().ToDouble();
    }

    /// <summary>LDA predictions for <paramref name="evalZ"/> after fitting on the labelled embeddings.</summary>
    public static Tensor Predict(Tensor fitZ, Tensor fitY, Tensor evalZ, int classes)
    {
        using var scope = NewDisposeScope();
        var z = fitZ.to_type(ScalarType.Float64);                                                  // [N, p]
        long n = z.shape[0], p = z.shape[1];
        var onehot = nn.functional.one_hot(fitY, classes).to_type(ScalarType.Float64);              // [N, C]
        var counts = onehot.sum(dim: 0);                                                                  // [C]
        var means = onehot.t().matmul(z) / counts.clamp_min(1).unsqueeze(1);                        // [C, p]
        var centered = z - onehot.matmul(means);                                                     // [N, p]
        var cov = centered.t().matmul(centered) / Math.Max(1, n - classes);                          // [p, p]
        double scale = cov.diagonal().mean().ToDouble();
        if (!(scale > 0)) scale = Math.Max(means.pow(2).mean().ToDouble(), 1e-300);
        cov = cov + eye(p, dtype: ScalarType.Float64) * (Ridge * scale);
        var precMeans = linalg.solve(cov, means.t());                                                // [p, C]
        var bias = -0.5 * (means.t() * precMeans).sum(dim: 0) + (counts.clamp_min(1e-12) / n).log();      // [C]
        // Empty classes never win.
        bias = bias.masked_fill(counts.eq(0), double.NegativeInfinity);
        var scores = evalZ.to_type(ScalarType.Float64).matmul(precMeans) + bias;                    // [N', C]
        return scores.argmax(1).MoveToOuterDisposeScope();
    }
}
