using TorchSharp;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// Every metric of <see cref="LinearModelEvaluator"/> against its definition in <see cref="ModelMetrics"/>, computed
/// here column by column and row by row: weights, shares, which half of the test set each probe fits and scores,
/// the subclass separation and the Gram distance.
/// </summary>
[Collection("torch")]
public class LinearSettingEvaluatorTests
{

    /// <summary>‖W e_j‖ for coordinate j.</summary>
    private static double ColumnNorm(double[,] w, int j)
    {
        double s = 0;
        for (int i = 0; i < w.GetLength(0); i++) s += w[i, j] * w[i, j];
        return Math.Sqrt(s);
    }

    /// <summary>RMS of ‖W e_j‖ over the coordinates [start, start + dims).</summary>
    private static double RmsWeight(double[,] w, int start, int dims) =>
        Math.Sqrt(Enumerable.Range(start, dims).Sum(j => ColumnNorm(w, j) * ColumnNorm(w, j)) / dims);

    /// <summary>Σ_s n_s‖μ_s − μ_c‖² / Σ_{i∈c} ‖z_i − μ_c‖², averaged over classes, with plain loops.</summary>
    private static double NaiveSeparation(double[,] z, long[] cls, long[] fine, int classes)
    {
        int n = z.GetLength(0), p = z.GetLength(1);
        double total = 0;
        for (int k = 0; k < classes; k++)
        {
            var rows = Enumerable.Range(0, n).Where(i => cls[i] == k).ToArray();
            if (rows.Length == 0) continue;
            var mu = new double[p];
            foreach (var i in rows) for (int a = 0; a < p; a++) mu[a] += z[i, a] / rows.Length;
            double within = 0;
            foreach (var i in rows) for (int a = 0; a < p; a++) within += (z[i, a] - mu[a]) * (z[i, a] - mu[a]);
            if (within == 0) continue;
            double between = 0;
            foreach (var f in rows.Select(i => fine[i]).Distinct())
            {
                var sub = rows.Where(i => fine[i] == f).ToArray();
                for (int a = 0; a < p; a++)
                {
                    double muS = sub.Sum(i => z[i, a]) / sub.Length;
                    between += sub.Length * (muS - mu[a]) * (muS - mu[a]);
                }
            }
            total += between / within;
        }
        return total / classes;
    }

    private static void Close(double expected, double actual, string name)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{name}: expected NaN, got {actual}"); return; }
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{name}: expected {expected}, got {actual}");
    }

    [Fact]
    public void EveryMetricMatchesItsDefinitionWithEveryFeatureGroupPresent()
    {
        // Three classes and three subclasses (several directions each, so RMS and Frobenius differ), two easy bits of
        // different weight, a diverse subspace; a random encoder reads all of them.
        var cfg = new SyntheticDataConfig
        {
            Classes = 3, SubclassesPerClass = 3, N = 27, NTest = 41, D = 24, ClassStrength = 1.3, SubclassStrength = 0.6,
            EasyStrength = 1.7, EasyCount = 2, DiverseDims = 3, DiverseNorm = 2, NoiseSigma = 1, BalanceSubclassesExactly = true,
        };
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, 3);
        var wT = randn(new long[] { 3, cfg.D }, dtype: ScalarType.Float64, generator: new Generator(5));  // [3, D]
        var m = LinearModelEvaluator.Evaluate(wT, train, test, trainingLoss: -0.25);
        var w = TensorMatrix.ToArray(wT);
        var l = cfg.Layout;

        double classW = RmsWeight(w, l.ClassStart, 3), subW = RmsWeight(w, l.SubclassStart, 3);
        double easyW = (ColumnNorm(w, l.EasyStart) + ColumnNorm(w, l.EasyStart + 1)) / 2;
        double divW = Math.Sqrt(Enumerable.Range(l.DiverseStart, 3).Sum(j => ColumnNorm(w, j) * ColumnNorm(w, j)));
        double noiseW = Math.Sqrt(Enumerable.Range(l.NoiseStart, cfg.D - l.NoiseStart).Sum(j => ColumnNorm(w, j) * ColumnNorm(w, j)));
        double total = Math.Sqrt(Enumerable.Range(0, cfg.D).Sum(j => ColumnNorm(w, j) * ColumnNorm(w, j)));
        Close(classW, m.ClassWeight, "class weight");
        Close(subW, m.SubclassWeight, "subclass weight");
        Close(easyW, m.EasyWeight, "easy weight");
        Close(divW, m.DiverseWeight, "diverse weight");
        Close(noiseW, m.NoiseWeight, "noise weight");
        Close(total, m.TotalNorm, "total norm");

        // Shares: weight x strength / sqrt(mean over test rows of ‖W x‖²).
        var x = TensorMatrix.ToArray(test.X);
        double sq = 0;
        for (int i = 0; i < x.GetLength(0); i++)
            for (int r = 0; r < 3; r++)
            {
                double e = 0;
                for (int j = 0; j < cfg.D; j++) e += w[r, j] * x[i, j];
                sq += e * e / x.GetLength(0);
            }
        double rms = Math.Sqrt(sq);
        Close(classW * 1.3 / rms, m.ClassShare, "class share");
        Close(subW * 0.6 / rms, m.SubclassShare, "subclass share");
        Close(easyW * 1.7 / rms, m.EasyShare, "easy share");

        // Test probes: fitted on the first 20 test rows, scored on the other 21; train probes in-sample.
        var zTest = test.X.matmul(wT.t());
        var zTrain = train.X.matmul(wT.t());
        double Held(Tensor labels, int classes) => LinearDiscriminantProbe.Accuracy(zTest[..20], labels[..20], zTest[20..], labels[20..], classes);
        Close(Held(test.ClassLabels, 3), m.TestClassAccuracy, "test class accuracy");
        Close(Held(test.SubclassLabels, 9), m.TestSubclassAccuracy, "test subclass accuracy");
        Close((Held(test.EasyLabels[.., 0], 2) + Held(test.EasyLabels[.., 1], 2)) / 2, m.TestEasyAccuracy, "test easy accuracy");
        Close(LinearDiscriminantProbe.Accuracy(zTrain, train.ClassLabels, zTrain, train.ClassLabels, 3), m.TrainClassAccuracy, "train class accuracy");
        Close(LinearDiscriminantProbe.Accuracy(zTrain, train.SubclassLabels, zTrain, train.SubclassLabels, 9), m.TrainSubclassAccuracy, "train subclass accuracy");
        Close(NaiveSeparation(TensorMatrix.ToArray(zTest), test.ClassLabels.data<long>().ToArray(), test.SubclassLabels.data<long>().ToArray(), 3),
            m.SubclassSeparation, "subclass separation");
        Close(-0.25, m.TrainingLoss, "training loss");
        // The probes are not trivially at 0 or 1 here, so a wrong split or label set shows.
        Assert.InRange(m.TestSubclassAccuracy, 0.01, 0.99);
    }

    [Fact]
    public void AbsentFeatureGroupsAreNaNOrZeroAsDocumented()
    {
        // Two classes (one direction), no subclass, no easy bit, no diverse subspace.
        var cfg = new SyntheticDataConfig { Classes = 2, SubclassesPerClass = 1, SubclassStrength = 0, N = 10, NTest = 12, D = 8 };
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, 1);
        var wT = randn(new long[] { 2, 8 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var m = LinearModelEvaluator.Evaluate(wT, train, test);
        var w = TensorMatrix.ToArray(wT);
        Close(ColumnNorm(w, 0), m.ClassWeight, "class weight");
        foreach (var (name, v) in new[] { ("subclass weight", m.SubclassWeight), ("easy weight", m.EasyWeight), ("subclass share", m.SubclassShare),
                     ("easy share", m.EasyShare), ("test subclass accuracy", m.TestSubclassAccuracy), ("test easy accuracy", m.TestEasyAccuracy),
                     ("train subclass accuracy", m.TrainSubclassAccuracy), ("subclass separation", m.SubclassSeparation), ("training loss", m.TrainingLoss) })
            Assert.True(double.IsNaN(v), $"{name} should be NaN when absent, got {v}");
        Assert.Equal(0.0, m.DiverseWeight);
        Close(Math.Sqrt(Enumerable.Range(1, 7).Sum(j => ColumnNorm(w, j) * ColumnNorm(w, j))), m.NoiseWeight, "noise weight");
    }

    [Fact]
    public void TheZeroEncoderHasZeroWeightsAndShares()
    {
        var cfg = new SyntheticDataConfig { Classes = 2, SubclassesPerClass = 2, N = 8, NTest = 8, D = 10, EasyStrength = 1 };
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, 2);
        var m = LinearModelEvaluator.Evaluate(zeros(2, 10, dtype: ScalarType.Float64), train, test);
        Assert.Equal(0.0, m.ClassWeight);
        Assert.Equal(0.0, m.TotalNorm);
        Assert.Equal(0.0, m.ClassShare);      // nothing in the embedding, so no feature has a share of it
        Assert.Equal(0.0, m.SubclassShare);
        Assert.Equal(0.0, m.EasyShare);
        // Without a subclass or an easy bit their shares stay NaN (absent), not 0.
        var bare = new SyntheticDataConfig { Classes = 2, SubclassesPerClass = 1, N = 8, NTest = 8, D = 10 };
        var (bareTrain, bareTest) = SyntheticDataset.GenerateSplit(bare, 2);
        var b = LinearModelEvaluator.Evaluate(zeros(2, 10, dtype: ScalarType.Float64), bareTrain, bareTest);
        Assert.Equal(0.0, b.ClassShare);
        Assert.True(double.IsNaN(b.SubclassShare) && double.IsNaN(b.EasyShare), $"shares of absent groups: {b.SubclassShare}, {b.EasyShare}");
    }

    [Fact]
    public void SubclassSeparationMatchesItsFormulaIncludingTinyAndCollapsedClasses()
    {
        var g = new Generator(8);
        // Class 0: 7 rows over 3 subclasses; class 1: exactly 2 rows; class 2: 3 identical rows (no spread); class 3: 1 row.
        var cls = new long[] { 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 3 };
        var fine = new long[] { 0, 1, 2, 0, 1, 2, 0, 3, 4, 6, 7, 6, 9 };
        var z = randn(new long[] { 13, 2 }, dtype: ScalarType.Float64, generator: g);
        z[9] = z[10] = z[11] = tensor(new[] { 1.5, -0.5 });
        double expected = NaiveSeparation(TensorMatrix.ToArray(z), cls, fine, 4);
        double actual = LinearModelEvaluator.SubclassSeparation(z, tensor(cls), tensor(fine), 4, 12);
        Close(expected, actual, "subclass separation");
        Assert.True(expected > 0.1, "both spread classes should contribute");
        // Fully separated subclasses explain all within-class variance: 1 per spread class.
        var two = tensor(new double[,] { { 0, 0 }, { 0, 0 }, { 2, 1 }, { 2, 1 }, { 5, 5 }, { 5, 5 }, { 7, 3 }, { 7, 3 } });
        Close(1.0, LinearModelEvaluator.SubclassSeparation(two, tensor(new long[] { 0, 0, 0, 0, 1, 1, 1, 1 }), tensor(new long[] { 0, 0, 1, 1, 2, 2, 3, 3 }), 2, 4), "separated");
    }

    [Fact]
    public void GramDistanceMatchesItsFormula()
    {
        var g = new Generator(9);
        var x = randn(new long[] { 6, 5 }, dtype: ScalarType.Float64, generator: g);
        var w1 = randn(new long[] { 2, 5 }, dtype: ScalarType.Float64, generator: g);
        var w2 = randn(new long[] { 3, 5 }, dtype: ScalarType.Float64, generator: g);
        double[,] Gram(Tensor w)
        {
            var z = TensorMatrix.ToArray(x.matmul(w.t()));
            var gm = new double[6, 6];
            for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) for (int k = 0; k < z.GetLength(1); k++) gm[i, j] += z[i, k] * z[j, k];
            return gm;
        }
        var g1 = Gram(w1); var g2 = Gram(w2);
        double num = 0, den = 0;
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) { num += (g1[i, j] - g2[i, j]) * (g1[i, j] - g2[i, j]); den += g2[i, j] * g2[i, j]; }
        Close(Math.Sqrt(num / den), LinearModelEvaluator.GramDistance(w1, w2, x), "gram distance");
        // Rotation-free: an orthogonal change of the embedding basis is distance 0.
        var q = linalg.qr(randn(new long[] { 2, 2 }, dtype: ScalarType.Float64, generator: g)).Q;
        Assert.True(LinearModelEvaluator.GramDistance(q.matmul(w1), w1, x) < 1e-12);
    }
}
