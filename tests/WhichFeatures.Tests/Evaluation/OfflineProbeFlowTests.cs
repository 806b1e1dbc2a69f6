using TorchSharp;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

/// <summary>
/// The offline probe depends on the test set only through the rows being scored: the fitted probe never changes
/// with the test rows, each test row's prediction is the same alone, among others or next to shifted rows, and the
/// test accuracy equals a naive loop that standardises with the TRAINING mean and std.
/// </summary>
[Collection("torch")]
public class OfflineProbeFlowTests
{
    /// <summary>
    /// Three Gaussian classes in 6 dimensions (overlapping), features not centred (offset 2, scale 3); class 0's two
    /// dimensions moved by <paramref name="shift"/> (a test set from a shifted distribution).
    /// </summary>
    private static (Tensor X, Tensor Y) Blobs(int n, long seed, double shift = 0)
    {
        var g = new Generator((ulong)seed);
        var y = randint(0, 3, [n], dtype: ScalarType.Int64, generator: g);                  // [n]
        var centres = tensor(new double[,] { { 1, 0, 0, 1, 0, 0 }, { 0, 1, 0, 0, 1, 0 }, { 0, 0, 1, 0, 0, 1 } }).to_type(ScalarType.Float32); // [3, 6]
        var offset = tensor(new float[] { 1, 0, 0, 1, 0, 0 }) * (float)shift;                // [6]
        var x = (centres[y] + 0.8f * randn([n, 6], generator: g)) * 3 + 2 + offset;          // [n, 6]
        return (x, y);
    }

    private static double[] Row(Tensor t) => t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();

    [Fact]
    public void TestAccuracyEqualsANaiveLoopThatStandardisesWithTrainingStatistics()
    {
        var (xtr, ytr) = Blobs(240, seed: 1);
        // A shifted test set: standardising it with its own mean would move every decision.
        var (xte, yte) = Blobs(90, seed: 2, shift: 2);
        var probe = new LogisticRegressionProbe();
        var (trainAcc, testAcc) = probe.FitAndScore(xtr, ytr, xte, yte, classes: 3);
        using var fitted = probe.Fit(xtr, ytr, 3);

        // Naive: training mean and unbiased std per dimension from the raw training rows, then argmax of z W + b.
        double[] tr = Row(xtr), te = Row(xte), w = Row(fitted.Weight), b = Row(fitted.Bias);
        long[] trY = ytr.data<long>().ToArray(), teY = yte.data<long>().ToArray();
        const int D = 6, K = 3;
        var mean = new double[D];
        var std = new double[D];
        for (int d = 0; d < D; d++)
        {
            var col = Enumerable.Range(0, 240).Select(i => tr[i * D + d]).ToArray();
            mean[d] = col.Average();
            std[d] = Math.Sqrt(col.Sum(v => (v - mean[d]) * (v - mean[d])) / (col.Length - 1));
        }
        double NaiveAccuracy(double[] x, long[] y, double[] centre)
        {
            int correct = 0;
            for (int i = 0; i < y.Length; i++)
            {
                var logits = new double[K];
                for (int k = 0; k < K; k++)
                {
                    logits[k] = b[k];
                    for (int d = 0; d < D; d++) logits[k] += (x[i * D + d] - centre[d]) / std[d] * w[d * K + k];
                }
                if (Array.IndexOf(logits, logits.Max()) == y[i]) correct++;
            }
            return (double)correct / y.Length;
        }
        Assert.Equal(NaiveAccuracy(tr, trY, mean), trainAcc, 12);
        Assert.Equal(NaiveAccuracy(te, teY, mean), testAcc, 12);
        var fittedMean = Row(fitted.Mean);
        var fittedStd = Row(fitted.Std);
        for (int d = 0; d < D; d++)
        {
            Assert.Equal(mean[d], fittedMean[d], 9);
            Assert.Equal(std[d], fittedStd[d], 9);
        }
        // The shift matters: centring the test set on its own mean would score differently, so the check above can fail.
        var testMean = Enumerable.Range(0, D).Select(d => Enumerable.Range(0, 90).Average(i => te[i * D + d])).ToArray();
        double leaky = NaiveAccuracy(te, teY, testMean);
        Assert.True(Math.Abs(leaky - testAcc) > 0.05, $"test-mean centring would score {leaky}, training-mean {testAcc}: the test set does not tell them apart");
    }

    [Fact]
    public void TheFittedProbeNeverDependsOnTheTestRows()
    {
        var (xtr, ytr) = Blobs(200, seed: 3);
        var (xte, yte) = Blobs(60, seed: 4);
        var (extraX, extraY) = Blobs(40, seed: 5, shift: 5);
        var probe = new LogisticRegressionProbe();
        var baseline = probe.FitAndScore(xtr, ytr, xte, yte, classes: 3);
        var added = probe.FitAndScore(xtr, ytr, cat([xte, extraX], 0), cat([yte, extraY], 0), classes: 3);
        var removed = probe.FitAndScore(xtr, ytr, xte.narrow(0, 0, 7), yte.narrow(0, 0, 7), classes: 3);
        var shifted = probe.FitAndScore(xtr, ytr, xte + 10, yte, classes: 3);
        // The training accuracy is a function of the fitted probe alone: identical whatever the test rows.
        Assert.Equal(baseline.TrainAccuracy, added.TrainAccuracy);
        Assert.Equal(baseline.TrainAccuracy, removed.TrainAccuracy);
        Assert.Equal(baseline.TrainAccuracy, shifted.TrainAccuracy);

        // Test accuracy is additive over rows: the 60 + 40 rows score as the 60 and the 40 did apart.
        var extraOnly = probe.FitAndScore(xtr, ytr, extraX, extraY, classes: 3);
        Assert.Equal(baseline.TestAccuracy * 60 + extraOnly.TestAccuracy * 40, added.TestAccuracy * 100, 9);
    }

    [Fact]
    public void EachTestRowIsScoredOnItsOwn()
    {
        var (xtr, ytr) = Blobs(200, seed: 6);
        var (xte, _) = Blobs(30, seed: 7);
        using var fitted = new LogisticRegressionProbe().Fit(xtr, ytr, 3);
        var together = fitted.Predict(xte).data<long>().ToArray();
        // Alone (a one-row "test set"), and next to rows moved far away: the same prediction.
        var alone = Enumerable.Range(0, 30).Select(i => fitted.Predict(xte.narrow(0, i, 1)).ToInt64()).ToArray();
        var withShiftedNeighbours = fitted.Predict(cat([xte, xte.narrow(0, 0, 10) + 25], 0)).narrow(0, 0, 30).data<long>().ToArray();
        Assert.Equal(together, alone);
        Assert.Equal(together, withShiftedNeighbours);
        Assert.True(together.Distinct().Count() > 1, "a probe that predicts one class tests nothing here");
    }
}
