using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// <see cref="SpectralMinimizer"/> where its closed form has corner cases: a tied eigenspace with directions no W
/// can reach (rank-deficient rows), weights with no positive eigenvalue, and the null-space direction against a
/// projector built from the SVD of X.
/// </summary>
[Collection("torch")]
public class LinearSettingMinimizerTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(1e-4)]
    [InlineData(100.0)]
    public void ATieWithUnreachableDirectionsPicksTheReachableOneAtAnyInputScale(double scale)
    {
        // Four examples of two classes, all with the same input scale·e_0: the rows [X; X] span one direction, so every
        // embedding is Z = t·1 and the Gram is G = s·11ᵀ with s ≥ 0. SCL's two class eigenvalues tie, and with p = 1
        // the tie must be broken towards the reachable direction 1, whatever the input scale (a small scale makes
        // (XXᵀ)⁺ large, so the cost of unreachable directions must grow with it).
        // Closed form: ‖s·11ᵀ − M²A‖² is smallest at s = 1ᵀA1 (= 1, A sums to 1), so the optimum is
        // L(s = 1) = (1/M²)‖11ᵀ − M²A‖² − M²‖A‖², i.e. the loss of Z = 1.
        var labels = tensor(new long[] { 0, 0, 1, 1 });
        var x = zeros(4, 3, dtype: ScalarType.Float64);
        x[.., 0] = scale;
        var rows = cat(new[] { x, x }, 0);                                                         // [8, 3]
        var a = SpectralContrastiveLoss.SclWeights(labels);                                       // [8, 8]
        double optimum = SpectralContrastiveLoss.Weighted(ones(8, 1, dtype: ScalarType.Float64) * Math.Sqrt(a.sum().ToDouble()), a).ToDouble();
        var sol = SpectralMinimizer.MinNorm(rows, a, 1);
        Assert.True(sol.TieBroken);
        double loss = SpectralContrastiveLoss.Weighted(rows.matmul(sol.W.t()), a).ToDouble();
        Assert.True(optimum < 0);
        Assert.True(Math.Abs(loss - optimum) < 1e-9, $"loss {loss}, reachable optimum {optimum}");
        Assert.True((sol.Z - rows.matmul(sol.W.t())).abs().max().ToDouble() < 1e-9, "Z must be what W produces on the rows");
        // Min norm: W reads only the direction the rows use.
        Assert.True(sol.W[.., 1..].abs().max().ToDouble() < 1e-12 * sol.W.abs().max().ToDouble());
    }

    [Fact]
    public void EigenvaluesAboveATieAreAllTakenAndTheTieFillsTheRest()
    {
        // The joint loss (beta = 0.5, two balanced classes): two class eigenvalues stand above the N-fold UCL
        // eigenvalue. With p = 3 both class directions are taken and one more comes from the tie, so the loss is the
        // Eckart–Young optimum −(1/M²) Σ of the 3 largest positive eigenvalues² of M²A.
        var labels = tensor(new long[] { 0, 1, 0, 1, 0, 1 });
        var x = randn(new long[] { 6, 30 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var rows = cat(new[] { x, x * 0.9 + 0.1 * randn(new long[] { 6, 30 }, dtype: ScalarType.Float64, generator: new Generator(5)) }, 0);   // [12, 30]
        var a = SpectralContrastiveLoss.JointWeights(labels, 0.5);                                // [12, 12]
        var lam = linalg.eigvalsh(a * 144.0).data<double>().OrderByDescending(v => v).ToArray();
        Assert.True(lam[1] > lam[2] + 1e-6 && Math.Abs(lam[2] - lam[3]) < 1e-9, "two eigenvalues above a tie");
        double optimum = -lam.Take(3).Sum(v => v * v) / 144.0;
        var sol = SpectralMinimizer.MinNorm(rows, a, 3);
        Assert.True(sol.TieBroken);
        Assert.Equal(optimum, SpectralContrastiveLoss.Weighted(rows.matmul(sol.W.t()), a).ToDouble(), 8);
    }

    [Fact]
    public void WithRoomForEveryPositiveEigenvalueNoTieIsBroken()
    {
        // Balanced SCL with two classes has two equal positive eigenvalues; with p = 3 both are taken, so the loss
        // alone fixes the Gram and the norm has nothing to choose.
        var labels = tensor(new long[] { 0, 1, 0, 1, 0, 1 });
        var x = randn(new long[] { 6, 20 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var sol = SpectralMinimizer.MinNorm(cat(new[] { x, x }, 0), SpectralContrastiveLoss.SclWeights(labels), 3);
        Assert.False(sol.TieBroken);
        Assert.Equal(0.0, sol.W[2].abs().max().ToDouble());                                       // no third positive eigenvalue: a zero row
    }

    [Fact]
    public void WeightsWithoutPositiveEigenvaluesGiveTheZeroEncoder()
    {
        // A = 0: the loss is (1/M²)‖G‖² ≥ 0, smallest at G = 0, and the smallest W with G = 0 is W = 0.
        var rows = randn(new long[] { 6, 9 }, dtype: ScalarType.Float64, generator: new Generator(1));
        var sol = SpectralMinimizer.MinNorm(rows, zeros(6, 6, dtype: ScalarType.Float64), 2);
        Assert.Equal(new long[] { 2, 9 }, sol.W.shape);
        Assert.Equal(0.0, sol.W.abs().max().ToDouble());
        Assert.False(sol.TieBroken);
        Assert.Contains("embedding size", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralMinimizer.MinNorm(rows, zeros(6, 6, dtype: ScalarType.Float64), 0)).Message);
    }

    [Fact]
    public void AddNullSpaceDirectionAddsAlphaTimesTheNullSpacePartOfVToOneRow()
    {
        var g = new Generator(3);
        var x = randn(new long[] { 4, 7 }, dtype: ScalarType.Float64, generator: g);               // [M, d], rank 4
        var w = randn(new long[] { 3, 7 }, dtype: ScalarType.Float64, generator: g);               // [p, d]
        var v = randn(new long[] { 7 }, dtype: ScalarType.Float64, generator: g);
        // Reference projector onto the row space of X from its SVD: V_r V_rᵀ.
        var (_, _, vh) = linalg.svd(x, fullMatrices: false);                                       // vh [4, 7]
        var nullPart = v - vh.t().matmul(vh.matmul(v));                                             // [d]
        Assert.True((SpectralMinimizer.NullSpaceComponent(x, v) - nullPart).abs().max().ToDouble() < 1e-10);
        for (int row = 0; row < 3; row++)
        {
            var w2 = SpectralMinimizer.AddNullSpaceDirection(w, x, v, row, 2.5);
            var expected = w.clone();
            expected[row] = w[row] + 2.5 * nullPart;
            Assert.True((w2 - expected).abs().max().ToDouble() < 1e-10, $"row {row}");
        }
        Assert.Contains("W has 3 rows", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralMinimizer.AddNullSpaceDirection(w, x, v, 3, 1.0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralMinimizer.AddNullSpaceDirection(w, x, v, -1, 1.0));
    }
}
