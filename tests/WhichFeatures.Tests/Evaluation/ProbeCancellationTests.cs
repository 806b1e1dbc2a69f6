using System.Diagnostics;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

/// <summary>
/// Ctrl-C during a probe fit: libtorch's L-BFGS runs natively, so the fit must stop by itself within one loss
/// evaluation once its token is cancelled (Evaluation/LogisticRegressionProbe.Cancellation).
/// </summary>
[Collection("torch")]
public class ProbeCancellationTests
{
    [Fact]
    public void ACancelledFitStopsWithinTwoSecondsAndThrows()
    {
        using var scope = NewDisposeScope();
        int n = 40_000, d = 256;
        var gen = new Generator(11);
        // Ill-conditioned on purpose: correlated features with scales from 1 to 1e-3, the label read from the smallest.
        // Uncancelled, this fit ran 58 s on the 2-core CI machine (2026-12-05); only the cancellation can end it early.
        var z = randn(n, d, generator: gen);                                                   // [N, D]
        var x = (z * logspace(0, -3, d)).matmul(linalg.qr(randn(d, d, generator: gen)).Q);    // [N, D]
        var y = (z.narrow(1, d - 10, 10) + 0.3 * randn(n, 10, generator: gen)).argmax(1);     // [N]
        using var cts = new CancellationTokenSource();
        var probe = new LogisticRegressionProbe { Iterations = 2000, WeightDecay = 0 }.WithCancellation(cts.Token);
        var clock = Stopwatch.StartNew();
        cts.CancelAfter(300);
        Assert.Throws<OperationCanceledException>(() => probe.Fit(x, y, 10));
        Assert.True(clock.Elapsed.TotalSeconds < 0.3 + 2, $"the fit stopped {clock.Elapsed.TotalSeconds:0.00} s after it started, 0.3 s after which it was cancelled");
    }

    [Fact]
    public void AnUncancelledTokenChangesNothing()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(12);
        var x = randn(300, 8, generator: gen);
        var y = (x[.., 0] > 0).to_type(ScalarType.Int64);
        var plain = new LogisticRegressionProbe().FitAndScore(x, y, x, y, 2);
        using var cts = new CancellationTokenSource();
        var withToken = new LogisticRegressionProbe().WithCancellation(cts.Token).FitAndScore(x, y, x, y, 2);
        Assert.Equal(plain, withToken);
    }
}
