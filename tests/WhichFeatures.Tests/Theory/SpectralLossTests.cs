using TorchSharp;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>The spectral contrastive loss against a naive double loop, and its hand-written gradient against autograd.</summary>
[Collection("torch")]
public class SpectralLossTests
{
    private static double Naive(double[,] z, double[,] a)
    {
        int m = z.GetLength(0), p = z.GetLength(1);
        double attract = 0, repel = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                double dot = 0;
                for (int k = 0; k < p; k++) dot += z[i, k] * z[j, k];
                attract += a[i, j] * dot;
                repel += dot * dot;
            }
        return -2 * attract + repel / ((double)m * m);
    }


    public static IEnumerable<object[]> Kinds() => new[] { "scl", "ucl", "joint" }.Select(k => new object[] { k });

    private static Tensor Weights(string kind, Tensor labels) => kind switch
    {
        "scl" => SpectralContrastiveLoss.SclWeights(labels),
        "ucl" => SpectralContrastiveLoss.UclWeights(labels.shape[0]),
        _ => SpectralContrastiveLoss.JointWeights(labels, 0.3),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LossMatchesNaiveLoopAndGradientMatchesAutograd(string kind)
    {
        var g = new Generator(7);
        long n = 6, d = 10, p = 3;
        var labels = tensor(new long[] { 0, 1, 0, 1, 1, 0 });
        var v1 = randn(new long[] { n, d }, dtype: ScalarType.Float64, generator: g);
        var v2 = randn(new long[] { n, d }, dtype: ScalarType.Float64, generator: g);
        var w = randn(new long[] { p, d }, dtype: ScalarType.Float64, generator: g);
        var rows = cat(new[] { v1, v2 }, 0);
        var a = Weights(kind, labels);
        Assert.Equal(1.0, a.sum().ToDouble(), 12);
        Assert.True((a - a.t()).abs().max().ToDouble() < 1e-15);
        var z = rows.matmul(w.t());
        Assert.Equal(Naive(TensorMatrix.ToArray(z), TensorMatrix.ToArray(a)), SpectralContrastiveLoss.Weighted(z, a).ToDouble(), 9);

        var wg = w.clone().requires_grad_(true);
        var loss = SpectralContrastiveLoss.Weighted(rows.matmul(wg.t()), a);
        var auto = autograd.grad(new[] { loss }, new[] { wg })[0];
        var hand = SpectralContrastiveLoss.GradientW(rows, w, a);
        Assert.True((auto - hand).abs().max().ToDouble() < 1e-9 * Math.Max(1, auto.abs().max().ToDouble()));
    }

    [Fact]
    public void JointIsTheConvexCombinationAndUclPairsAreTheOtherView()
    {
        var g = new Generator(3);
        var labels = tensor(new long[] { 0, 1, 1, 0 });
        var v1 = randn(new long[] { 4, 2 }, dtype: ScalarType.Float64, generator: g);
        var v2 = randn(new long[] { 4, 2 }, dtype: ScalarType.Float64, generator: g);
        double scl = SpectralContrastiveLoss.Scl(v1, v2, labels).ToDouble();
        double ucl = SpectralContrastiveLoss.Ucl(v1, v2).ToDouble();
        Assert.Equal(0.25 * scl + 0.75 * ucl, SpectralContrastiveLoss.Joint(v1, v2, labels, 0.25).ToDouble(), 12);
        var a = SpectralContrastiveLoss.UclWeights(4).data<double>().ToArray();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                Assert.Equal(Math.Abs(i - j) == 4 ? 1.0 / 8 : 0.0, a[i * 8 + j], 15);
        Assert.Throws<WhichFeatures.Core.UserInputException>(() => SpectralContrastiveLoss.JointWeights(labels, 1.5));
    }
}
