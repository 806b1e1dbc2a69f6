using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Losses;

/// <summary>
/// What the losses promise besides their value: InfoNCE's log-probabilities are normalised per ANCHOR row (the loss
/// alone cannot tell, because the similarity matrix is symmetric), and malformed shapes are refused with an
/// <see cref="ArgumentException"/> naming the argument before any tensor arithmetic broadcasts them into a
/// silently wrong number.
/// </summary>
[Collection("torch")]
public class LossContractTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LogProbabilitiesAreNormalisedOverEachAnchorsOtherRows(bool normalize)
    {
        manual_seed(5);
        using var z = randn(7, 3, dtype: ScalarType.Float64);
        using var logProb = InfoNceLoss.LogProbabilities(z, 0.3, normalize);
        var lp = logProb.data<double>().ToArray();
        var v = z.data<double>().ToArray();
        double[] Row(int i)
        {
            var r = v.Skip(i * 3).Take(3).ToArray();
            if (!normalize) return r;
            double n = Math.Sqrt(r.Sum(x => x * x));
            return r.Select(x => x / n).ToArray();
        }
        for (int i = 0; i < 7; i++)
        {
            // Naive: log softmax over j != i of sim(i, j) / tau.
            var s = Enumerable.Range(0, 7).Select(j => Row(i).Zip(Row(j), (a, b) => a * b).Sum() / 0.3).ToArray();
            double lse = Math.Log(Enumerable.Range(0, 7).Where(j => j != i).Sum(j => Math.Exp(s[j])));
            for (int j = 0; j < 7; j++)
                if (j != i) Assert.Equal(s[j] - lse, lp[i * 7 + j], 9);
            Assert.Equal(1.0, Enumerable.Range(0, 7).Where(j => j != i).Sum(j => Math.Exp(lp[i * 7 + j])), 9);
        }
    }

    [Fact]
    public void InfoNceRefusesMalformedShapes()
    {
        using var v4 = randn(4, 3);
        using var v5 = randn(5, 3);
        using var flat = randn(4);
        using var y4 = zeros(4, dtype: ScalarType.Int64);
        using var y3 = zeros(3, dtype: ScalarType.Int64);
        using var y41 = zeros(4, 1, dtype: ScalarType.Int64);
        using var keys8 = zeros(8, dtype: ScalarType.Int64);
        using var keys81 = zeros(8, 1, dtype: ScalarType.Int64);
        using var lp = InfoNceLoss.LogProbabilities(randn(8, 3), 0.5);

        AssertRefused("views", () => InfoNceLoss.Ucl(v4, v5, 0.5));
        AssertRefused("views", () => InfoNceLoss.Ucl(flat, flat, 0.5));
        AssertRefused("views", () => InfoNceLoss.Scl(v4, v5, y4, 0.5));
        AssertRefused("views", () => InfoNceLoss.Joint(v4, v5, y4, 0.5, 0.5));
        AssertRefused("labels", () => InfoNceLoss.Scl(v4, v4, y3, 0.5));
        AssertRefused("labels", () => InfoNceLoss.Scl(v4, v4, y41, 0.5));
        AssertRefused("labels", () => InfoNceLoss.Joint(v4, v4, y3, 0.5, 0.5));
        AssertRefused("labels", () => InfoNceLoss.Joint(v4, v4, y41, 0.5, 0.5));
        AssertRefused("embeddings", () => InfoNceLoss.LogProbabilities(flat, 0.5));
        AssertRefused("keys", () => InfoNceLoss.FromLogProbabilities(lp, zeros(5, dtype: ScalarType.Int64)));
        AssertRefused("keys", () => InfoNceLoss.FromLogProbabilities(lp, keys81));
        Assert.Equal(0.0, InfoNceLoss.FromLogProbabilities(lp, arange(8, dtype: ScalarType.Int64)).ToDouble());   // no positives: 0, never NaN
        Assert.True(InfoNceLoss.FromLogProbabilities(lp, keys8).ToDouble() > 0);
        AssertRefused("SCL", () => InfoNceLoss.Compute(ContrastiveLossKind.Scl, v4, v4, null, 0.5, 0.5));
        AssertRefused("joint", () => InfoNceLoss.Compute(ContrastiveLossKind.Joint, v4, v4, null, 0.5, 0.5));
        var e = Assert.Throws<UserInputException>(() => InfoNceLoss.Ucl(v4, v4, double.PositiveInfinity));
        Assert.Contains("temperature", e.Message);
    }

    [Fact]
    public void SpectralLossRefusesMalformedShapes()
    {
        using var z = randn(4, 2, dtype: ScalarType.Float64);
        using var x = randn(4, 3, dtype: ScalarType.Float64);
        using var w = randn(2, 3, dtype: ScalarType.Float64);
        foreach (var shape in new long[][] { [3, 3], [5, 4], [4, 5], [4, 3], [16] })
        {
            using var a = zeros(shape, dtype: ScalarType.Float64);
            AssertRefused("positive weights", () => SpectralContrastiveLoss.Weighted(z, a));
            AssertRefused("positive weights", () => SpectralContrastiveLoss.GradientW(x, w, a));
        }
        using var a4 = zeros(4, 4, dtype: ScalarType.Float64);
        AssertRefused("embeddings", () => SpectralContrastiveLoss.Weighted(randn(4), a4));
        AssertRefused("keys", () => SpectralContrastiveLoss.PositiveWeightsFromKeys(zeros(4, 1, dtype: ScalarType.Int64)));
        AssertRefused("SCL", () => SpectralContrastiveLoss.Weights(ContrastiveLossKind.Scl, 4, null, 0.5));
        AssertRefused("joint", () => SpectralContrastiveLoss.Weights(ContrastiveLossKind.Joint, 4, null, 0.5));
    }

    /// <summary>Exactly an <see cref="ArgumentException"/> (not a libtorch error from a broadcast) whose message names <paramref name="what"/>.</summary>
    private static void AssertRefused(string what, Action act)
    {
        var e = Assert.Throws<ArgumentException>(act);
        Assert.Contains(what, e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
