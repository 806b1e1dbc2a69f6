using TorchSharp;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// The theory lab's LDA probe against a naive reimplementation of its documented definition (class means, one pooled
/// covariance over N - C degrees of freedom plus a ridge of 1e-6 x its mean variance, empirical priors), and its
/// behaviour where the covariance is degenerate: collapsed classes, a constant coordinate, a class with no rows.
/// </summary>
[Collection("torch")]
public class LinearSettingLdaProbeTests
{
    /// <summary>LDA written out with loops and Gaussian elimination; returns the predicted class per evaluation row.</summary>
    private static int[] NaiveLda(double[,] fit, int[] y, double[,] eval, int classes)
    {
        int n = fit.GetLength(0), p = fit.GetLength(1);
        var count = new int[classes];
        var mean = new double[classes, p];
        for (int i = 0; i < n; i++) { count[y[i]]++; for (int j = 0; j < p; j++) mean[y[i], j] += fit[i, j]; }
        for (int c = 0; c < classes; c++) for (int j = 0; j < p; j++) mean[c, j] /= Math.Max(1, count[c]);
        var cov = new double[p, p];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++)
                    cov[a, b] += (fit[i, a] - mean[y[i], a]) * (fit[i, b] - mean[y[i], b]) / (n - classes);
        double meanVariance = 0;
        for (int a = 0; a < p; a++) meanVariance += cov[a, a] / p;
        for (int a = 0; a < p; a++) cov[a, a] += 1e-6 * meanVariance;
        // precMean[c] = cov⁻¹ μ_c by Gauss-Jordan elimination with partial pivoting.
        var precMean = new double[classes, p];
        for (int c = 0; c < classes; c++)
        {
            var m = new double[p, p + 1];
            for (int a = 0; a < p; a++) { for (int b = 0; b < p; b++) m[a, b] = cov[a, b]; m[a, p] = mean[c, a]; }
            for (int col = 0; col < p; col++)
            {
                int piv = col;
                for (int r = col + 1; r < p; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[piv, col])) piv = r;
                for (int k = 0; k <= p; k++) (m[col, k], m[piv, k]) = (m[piv, k], m[col, k]);
                for (int r = 0; r < p; r++)
                {
                    if (r == col) continue;
                    double f = m[r, col] / m[col, col];
                    for (int k = 0; k <= p; k++) m[r, k] -= f * m[col, k];
                }
            }
            for (int a = 0; a < p; a++) precMean[c, a] = m[a, p] / m[a, a];
        }
        var pred = new int[eval.GetLength(0)];
        for (int i = 0; i < pred.Length; i++)
        {
            double best = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                if (count[c] == 0) continue;
                double s = Math.Log((double)count[c] / n);
                for (int a = 0; a < p; a++) s += eval[i, a] * precMean[c, a] - 0.5 * mean[c, a] * precMean[c, a];
                if (s > best) { best = s; pred[i] = c; }
            }
        }
        return pred;
    }


    /// <summary>Overlapping Gaussian classes with unequal priors: the priors and the covariance's scale both move the boundary.</summary>
    private static (Tensor Z, Tensor Y) Overlapping(int n, int p, int classes, ulong seed)
    {
        var g = new Generator(seed);
        // Class c has prior proportional to c + 1: unbalanced.
        var weights = Enumerable.Range(0, classes).Select(c => (double)(c + 1)).ToArray();
        var y = multinomial(tensor(weights), n, replacement: true, generator: g);                  // [n]
        var centres = randn(new long[] { classes, p }, dtype: ScalarType.Float64, generator: g) * 2;  // [C, p], 1 to 3 sd apart
        var mix = randn(new long[] { p, p }, dtype: ScalarType.Float64, generator: g) * 0.5 + eye(p, dtype: ScalarType.Float64);
        var z = centres.index_select(0, y) + randn(new long[] { n, p }, dtype: ScalarType.Float64, generator: g).matmul(mix);  // [n, p] correlated noise
        return (z, y);
    }

    [Theory]
    [InlineData(1, 2, 40UL)]
    [InlineData(2, 3, 41UL)]
    [InlineData(3, 4, 42UL)]
    public void PredictionsEqualANaiveLdaWithPooledCovarianceAndEmpiricalPriors(int p, int classes, ulong seed)
    {
        // Few fit rows per class (N - C differs clearly from N) and many scored rows, so that the degrees of
        // freedom of the covariance and the log priors each flip some predictions if they were wrong.
        var (fitZ, fitY) = Overlapping(3 * classes + 4, p, classes, seed);
        var (evalZ, _) = Overlapping(3000, p, classes, seed + 100);
        var expected = NaiveLda(TensorMatrix.ToArray(fitZ), fitY.data<long>().Select(v => (int)v).ToArray(), TensorMatrix.ToArray(evalZ), classes);
        var actual = LinearDiscriminantProbe.Predict(fitZ, fitY, evalZ, classes).data<long>().Select(v => (int)v).ToArray();
        int disagree = expected.Zip(actual).Count(t => t.First != t.Second);
        Assert.True(disagree == 0, $"{disagree} of {expected.Length} predictions differ from the naive LDA");
        Assert.True(expected.Distinct().Count() > 1, "the data should not be trivially one class");
        // Accuracy is the fraction of correct predictions.
        var evalY = tensor(expected.Select(v => (long)v).ToArray());
        evalY[0] = (expected[0] + 1) % classes;                                                     // one deliberate miss
        Assert.Equal(1.0 - 1.0 / expected.Length, LinearDiscriminantProbe.Accuracy(fitZ, fitY, evalZ, evalY, classes), 12);
    }

    [Fact]
    public void ANearlySingularCovarianceGetsTheDocumentedRidge()
    {
        // Fit rows lie almost on a line (within-class variance 1 along it, 1e-8 across it) and the class means are far
        // from the origin: the ridge, 1e-6 x the mean variance, is then larger than the thin variance and decides how
        // much the thin direction counts. Scored rows spread in both directions, so a ridge of another size (e.g. one
        // scaled by the means' magnitude) changes many predictions.
        var g = new Generator(12);
        var fitY = tensor(Enumerable.Range(0, 40).Select(i => (long)(i % 2)).ToArray());
        var along = randn(new long[] { 40 }, dtype: ScalarType.Float64, generator: g);
        var across = randn(new long[] { 40 }, dtype: ScalarType.Float64, generator: g) * 1e-4;
        var means = tensor(new double[,] { { 30, 30 }, { 31, 30.5 } });                             // [2, 2]
        var fitZ = means.index_select(0, fitY) + stack(new[] { along + across, along - across }, 1) / Math.Sqrt(2);   // [40, 2]
        var evalZ = tensor(new double[] { 30.5, 30.25 }) + randn(new long[] { 2000, 2 }, dtype: ScalarType.Float64, generator: g);   // [2000, 2]
        var expected = NaiveLda(TensorMatrix.ToArray(fitZ), fitY.data<long>().Select(v => (int)v).ToArray(), TensorMatrix.ToArray(evalZ), 2);
        var actual = LinearDiscriminantProbe.Predict(fitZ, fitY, evalZ, 2).data<long>().Select(v => (int)v).ToArray();
        Assert.Equal(expected, actual);
        Assert.InRange(expected.Average(), 0.05, 0.95);
    }

    [Fact]
    public void CollapsedClassesAreSeparatedAtAnyScale()
    {
        // Every class collapsed onto one point (zero within-class covariance, as after class collapse), far from the
        // origin and with unequal priors: each point is its own class's mean, so the probe must be exact, and
        // rescaling the embedding (documented: scale-invariant) changes nothing.
        var centres = tensor(new double[,] { { 300, -200 }, { -250, 100 }, { 50, 400 } });          // [3, 2]
        var fitY = tensor(new long[] { 0, 0, 0, 0, 1, 1, 2 });
        var fitZ = centres.index_select(0, fitY);                                                    // [7, 2]
        var evalY = tensor(new long[] { 2, 1, 0, 2, 1 });
        var evalZ = centres.index_select(0, evalY);                                                  // [5, 2]
        foreach (var scale in new[] { 1.0, 1e-3, 1e3 })
            Assert.Equal(1.0, LinearDiscriminantProbe.Accuracy(fitZ * scale, fitY, evalZ * scale, evalY, 3));
    }

    [Fact]
    public void AConstantCoordinateLeavesTheOtherCoordinatesInCharge()
    {
        // A dead embedding coordinate (a zero row of W) makes the pooled covariance singular; the ridge keeps the
        // fit defined, and the probe equals the one fitted without that coordinate.
        var (z, y) = Overlapping(60, 2, 3, 7);
        var withDead = cat(new[] { z, zeros(60, 1, dtype: ScalarType.Float64) }, 1);                   // [60, 3]
        var plain = LinearDiscriminantProbe.Predict(z[..30], y[..30], z[30..], 3);
        var padded = LinearDiscriminantProbe.Predict(withDead[..30], y[..30], withDead[30..], 3);
        Assert.Equal(plain.data<long>().ToArray(), padded.data<long>().ToArray());
    }

    [Fact]
    public void AClassWithNoFitRowsIsNeverPredicted()
    {
        // Classes 0 and 2 sit at ±10; class 1 has no fit rows (its mean would be the origin). Points at the origin
        // are closer to that empty mean than to either class, yet must go to a class that exists.
        var fitY = tensor(new long[] { 0, 0, 0, 2, 2, 2 });
        var fitZ = tensor(new double[] { -10.5, -10, -9.5, 9.5, 10, 10.5 }).unsqueeze(1);          // [6, 1]
        var evalZ = tensor(new double[] { 0, 0.1, -0.1, 3 }).unsqueeze(1);                         // [4, 1]
        var pred = LinearDiscriminantProbe.Predict(fitZ, fitY, evalZ, 3).data<long>().ToArray();
        Assert.DoesNotContain(1L, pred);
    }
}
