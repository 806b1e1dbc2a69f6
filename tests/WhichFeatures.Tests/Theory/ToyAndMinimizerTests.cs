using TorchSharp;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>Exact closed-form checks: the toy numbers, X Δᵀ = 0, the min-norm property and the optimal loss value.</summary>
[Collection("torch")]
public class ToyAndMinimizerTests : IDisposable
{
    // Tiny models: one thread avoids OpenMP contention on a shared machine.
    private readonly int _threads = torch.get_num_threads();
    public ToyAndMinimizerTests() => torch.set_num_threads(1);
    public void Dispose() => torch.set_num_threads(_threads);

    [Fact]
    public void ToyNumbersAreTheSlides()
    {
        var t = ToyExperiment.Compute();
        Assert.Equal(0.5, t.SlideTrain[0], 12);
        Assert.Equal(0.5, t.SlideTrain[1], 12);
        Assert.Equal(1.5, t.SlideTest[0], 12);
        Assert.Equal(-0.5, t.SlideTest[1], 12);
        Assert.Equal(0.0, t.MinNormWeight[1]);                    // exactly 0
        Assert.Equal(0.5, t.MinNormTrain[0], 12);                  // interpolates the same training outputs
        Assert.Equal(0.5, t.MinNormTrain[1], 12);
        Assert.Equal(t.MinNormTest[0], t.MinNormTest[1], 12);      // collapsed on test data
        // Naive reference: XXᵀ = 2.16 I here, so w = (x1 + x2) * 0.5 / 2.16.
        Assert.Equal(2 * 0.5 / 2.16, t.MinNormWeight[0], 12);
        var r = new ToyExperiment().Run(new TheoryRunOptions(), WhichFeatures.Core.NullProgress.Instance);
        Assert.True(r.Claims.Single().Holds);
    }

    private static (Tensor Rows, Tensor A, SyntheticDataset Train) SmallScl(long seed, int n = 24, int d = 120)
    {
        var cfg = new SyntheticDataConfig { N = n, NTest = 8, D = d, SubclassStrength = 0.7, BalanceSubclassesExactly = true, Augmentation = AugmentationModel.Identity };
        var train = SyntheticDataset.Generate(cfg, n, new Generator((ulong)seed));
        return (cat(new[] { train.X, train.X }, 0), SpectralContrastiveLoss.SclWeights(train.ClassLabels), train);
    }

    [Fact]
    public void NullSpaceDirectionLeavesTrainingEmbeddingsAndLossUnchanged()
    {
        var (rows, a, train) = SmallScl(3);
        var sol = SpectralMinimizer.MinNorm(rows, a, 3);
        var v = zeros(train.Config.D, dtype: ScalarType.Float64);
        v[train.Layout.SubclassStart] = 1.0;
        var w2 = SpectralMinimizer.AddNullSpaceDirection(sol.W, train.X, v, 2, 5.0);
        Assert.True(train.X.matmul((w2 - sol.W).t()).abs().max().ToDouble() < 1e-10);        // X Δᵀ = 0
        Assert.True((w2 - sol.W).abs().max().ToDouble() > 1e-3);                              // but Δ ≠ 0
        double l1 = SpectralContrastiveLoss.Weighted(rows.matmul(sol.W.t()), a).ToDouble();
        double l2 = SpectralContrastiveLoss.Weighted(rows.matmul(w2.t()), a).ToDouble();
        Assert.True(Math.Abs(l1 - l2) / Math.Abs(l1) < 1e-9, $"{l1} vs {l2}");
    }

    [Fact]
    public void ClosedFormAttainsTheEckartYoungOptimumAndHasTheSmallestNorm()
    {
        var (rows, a, train) = SmallScl(5);
        int p = 3;
        var sol = SpectralMinimizer.MinNorm(rows, a, p);
        long m = rows.shape[0];
        double loss = SpectralContrastiveLoss.Weighted(rows.matmul(sol.W.t()), a).ToDouble();
        // Optimum = -(1/M²) Σ_{top p, positive} λ²: here two classes give two eigenvalues M.
        var lam = sol.Eigenvalues.data<double>().Take(p).Where(x => x > 0).ToArray();
        double optimum = -lam.Sum(x => x * x) / ((double)m * m);
        Assert.Equal(optimum, loss, 8);
        Assert.Equal(2, lam.Length);
        double norm = sol.W.norm().ToDouble();
        var g = new Generator(11);
        for (int trial = 0; trial < 20; trial++)
        {
            // Another minimizer: rotate the embedding and add a random null-space part.
            var q = linalg.qr(randn(new long[] { p, p }, dtype: ScalarType.Float64, generator: g)).Q;   // [p, p]
            var r = randn(new long[] { p, train.Config.D }, dtype: ScalarType.Float64, generator: g) * 0.01;
            var pinv = SpectralMinimizer.PseudoInverse(train.X.matmul(train.X.t()));
            var rNull = r - r.matmul(train.X.t()).matmul(pinv).matmul(train.X);                      // [p, d], X rNullᵀ = 0
            var other = q.matmul(sol.W) + rNull;
            double otherLoss = SpectralContrastiveLoss.Weighted(rows.matmul(other.t()), a).ToDouble();
            Assert.Equal(loss, otherLoss, 8);                                                         // also a minimizer
            Assert.True(other.norm().ToDouble() > norm, "a random minimizer had a smaller norm than W*");
            // A random non-minimizer has a larger loss.
            var rand = randn(new long[] { p, train.Config.D }, dtype: ScalarType.Float64, generator: g) * 0.1;
            Assert.True(SpectralContrastiveLoss.Weighted(rows.matmul(rand.t()), a).ToDouble() > loss);
        }
        // Every minimizer collapses classes on the training rows: Gram constant within class, 0 across.
        var z = train.X.matmul(sol.W.t());
        var gram = z.matmul(z.t());
        var same = train.ClassLabels.unsqueeze(1).eq(train.ClassLabels.unsqueeze(0));
        Assert.True((gram.masked_select(same.logical_not())).abs().max().ToDouble() < 1e-8);
        var within = gram.masked_select(same);
        Assert.True((within - within.mean()).abs().max().ToDouble() < 1e-8);
    }

    [Fact]
    public void UclTopPRuleMatchesGradientDescentFromSmallInit()
    {
        var cfg = new SyntheticDataConfig { N = 20, NTest = 40, D = 200, SubclassesPerClass = 1, SubclassStrength = 0, EasyStrength = 2, NoiseSigma = 1 };
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, 4);
        var (v1, v2) = train.DrawViews(new Generator(9));
        var rows = cat(new[] { v1, v2 }, 0);
        foreach (var p in new[] { 1, 2 })
        {
            var sol = SpectralMinimizer.MinNorm(rows, SpectralContrastiveLoss.UclWeights(train.Count), p);
            Assert.True(sol.TieBroken);
            var setup = new TrainingSetup { Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Ucl, P = p, Steps = 800, LearningRate = 0.03, InitStd = 1e-4 };
            using var w = LinearTrainer.Train(train, setup, new Generator(1), fixedViews: (v1, v2));
            double dist = LinearModelEvaluator.GramDistance(w, sol.W, test.X);
            Assert.True(dist < 0.02, $"p={p}: GD ended {dist} from the closed form");
            var m = LinearModelEvaluator.Evaluate(sol.W, train, test);
            if (p == 1) Assert.True(m.ClassShare < 0.1 && m.EasyShare > 0.9, $"p=1 should keep the easy bit: class share {m.ClassShare}, easy {m.EasyShare}");
            else Assert.True(m.ClassShare > 0.5, $"p=2 keeps the class: share {m.ClassShare}");
        }
    }
}
