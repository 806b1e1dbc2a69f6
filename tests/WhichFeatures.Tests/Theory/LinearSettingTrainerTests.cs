using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// <see cref="LinearTrainer.Train"/> is plain gradient descent from W0 ~ N(0, initStd²): it equals a naive loop
/// W ← W − lr ∂L/∂W (the gradient itself is checked against finite differences in <see cref="LinearTrainerTests"/>),
/// logs the W it returns, reports progress, stops on cancellation and refuses a diverged run.
/// </summary>
[Collection("torch")]
public class LinearSettingTrainerTests : IDisposable
{
    private readonly int _threads = torch.get_num_threads();
    public LinearSettingTrainerTests() => torch.set_num_threads(1);
    public void Dispose() => torch.set_num_threads(_threads);

    private static readonly SyntheticDataConfig Cfg = new() { N = 10, NTest = 4, D = 12, SubclassStrength = 0.7, EasyStrength = 1, NoiseSigma = 1 };

    private static double MaxAbsDiff(Tensor a, Tensor b) => (a - b).abs().max().ToDouble();

    [Theory]
    [InlineData(LossFamily.Spectral, ContrastiveLossKind.Scl)]
    [InlineData(LossFamily.Spectral, ContrastiveLossKind.Joint)]
    [InlineData(LossFamily.InfoNce, ContrastiveLossKind.Ucl)]
    public void FullBatchTrainingIsANaiveGradientDescentLoop(LossFamily family, ContrastiveLossKind kind)
    {
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));
        var setup = new TrainingSetup { Family = family, Kind = kind, Beta = 0.4, P = 2, Steps = 12, LearningRate = 0.1, InitStd = 0.3, LogPoints = 3 };

        // Reference: W0 from the generator, then W ← W − lr · ∂L/∂W on the fixed views.
        var g = new Generator(7);
        var w = randn(new long[] { 2, 12 }, dtype: ScalarType.Float64, generator: g) * 0.3;        // [p, d]
        var w0 = w.clone();
        for (int s = 0; s < 12; s++) w = w - 0.1 * LinearTrainer.Gradient(setup, v1, v2, train.ClassLabels, w);

        var logged = new List<(int Step, Tensor W, double Loss)>();
        var progress = new RecordingProgress();
        using var trained = LinearTrainer.Train(train, setup, new Generator(7), (s, wt, l) => logged.Add((s, wt.clone(), l)), progress, fixedViews: (v1, v2));
        Assert.True(MaxAbsDiff(w, trained) < 1e-12, $"differs from naive GD by {MaxAbsDiff(w, trained)}");
        Assert.True(MaxAbsDiff(w0, logged[0].W) == 0, "step 0 must log W0");
        // The last log is the returned W at step Steps, with its training loss.
        Assert.Equal(12, logged[^1].Step);
        Assert.True(MaxAbsDiff(trained, logged[^1].W) == 0, "the last logged W must be the returned W");
        Assert.Equal(LinearTrainer.Loss(setup, v1, v2, train.ClassLabels, trained), logged[^1].Loss, 12);
        Assert.Equal(LinearTrainer.LogSpacedSteps(12, 3), logged.Select(t => t.Step));
        Assert.Equal(12.0, progress.Advanced);
        // W0 ~ N(0, initStd²): its sample standard deviation over 24 entries is near 0.3.
        Assert.InRange(w0.std().ToDouble(), 0.15, 0.45);
    }

    [Fact]
    public void WithoutFixedViewsTheViewsAreDrawnAfterW0()
    {
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var setup = new TrainingSetup { Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Ucl, P = 2, Steps = 5, LearningRate = 0.1, InitStd = 0.3 };
        var g = new Generator(4);
        var w = randn(new long[] { 2, 12 }, dtype: ScalarType.Float64, generator: g) * 0.3;
        var (v1, v2) = train.DrawViews(g);
        for (int s = 0; s < 5; s++) w = w - 0.1 * LinearTrainer.Gradient(setup, v1, v2, train.ClassLabels, w);
        using var trained = LinearTrainer.Train(train, setup, new Generator(4));
        Assert.True(MaxAbsDiff(w, trained) < 1e-12);
    }

    [Fact]
    public void FreshViewsAreNewEveryStepAndABatchOfAtLeastNIsFullBatch()
    {
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));
        var fresh = new TrainingSetup { Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Scl, P = 2, Steps = 4, LearningRate = 0.1, InitStd = 0.3, FreshViews = true };
        // Reference: W0, then every step a new pair of views of all examples from the same generator.
        var g = new Generator(3);
        var w = randn(new long[] { 2, 12 }, dtype: ScalarType.Float64, generator: g) * 0.3;
        for (int s = 0; s < 4; s++)
        {
            var (f1, f2) = train.DrawViews(g);
            w = w - 0.1 * LinearTrainer.Gradient(fresh, f1, f2, train.ClassLabels, w);
        }
        foreach (var batch in new[] { 0, 10, 25 })
        {
            using var trained = LinearTrainer.Train(train, fresh with { BatchSize = batch }, new Generator(3), fixedViews: (v1, v2));
            Assert.True(MaxAbsDiff(w, trained) < 1e-12, $"batch {batch}: {MaxAbsDiff(w, trained)} from full-batch GD on fresh views");
        }
        using var fixedRun = LinearTrainer.Train(train, fresh with { FreshViews = false }, new Generator(3), fixedViews: (v1, v2));
        Assert.True(MaxAbsDiff(w, fixedRun) > 1e-6, "fixed views must differ from fresh views (the noise is redrawn)");
    }

    [Fact]
    public void MiniBatchTrainingStepsOnBatchesDrawnWithoutReplacement()
    {
        // Reference SGD: after W0, every step draws a batch of B distinct examples (the first B of a random
        // permutation) and steps along the gradient of the loss on that batch's views and labels.
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));
        var setup = new TrainingSetup { Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Joint, Beta = 0.5, P = 2, Steps = 6, LearningRate = 0.1, InitStd = 0.3, BatchSize = 4 };
        var g = new Generator(8);
        var w = randn(new long[] { 2, 12 }, dtype: ScalarType.Float64, generator: g) * 0.3;
        for (int s = 0; s < 6; s++)
        {
            var rows = randperm(10, generator: g)[..4];
            w = w - 0.1 * LinearTrainer.Gradient(setup, v1.index_select(0, rows), v2.index_select(0, rows), train.ClassLabels.index_select(0, rows), w);
        }
        using var trained = LinearTrainer.Train(train, setup, new Generator(8), fixedViews: (v1, v2));
        Assert.True(MaxAbsDiff(w, trained) < 1e-12, $"differs from naive SGD by {MaxAbsDiff(w, trained)}");
        using var full = LinearTrainer.Train(train, setup with { BatchSize = 0 }, new Generator(8), fixedViews: (v1, v2));
        Assert.True(MaxAbsDiff(full, trained) > 1e-6, "mini-batch SGD must differ from full-batch GD");
    }

    [Fact]
    public void GivenSpectralWeightsOverrideTheKind()
    {
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));
        var w = randn(new long[] { 2, 12 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var scl = new TrainingSetup { Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Scl };
        var ucl = scl with { Kind = ContrastiveLossKind.Ucl };
        var uclWeights = SpectralContrastiveLoss.UclWeights(10);
        Assert.Equal(LinearTrainer.Loss(ucl, v1, v2, train.ClassLabels, w), LinearTrainer.Loss(scl, v1, v2, train.ClassLabels, w, uclWeights), 12);
        Assert.NotEqual(LinearTrainer.Loss(ucl, v1, v2, train.ClassLabels, w), LinearTrainer.Loss(scl, v1, v2, train.ClassLabels, w), 6);
        Assert.True(MaxAbsDiff(LinearTrainer.Gradient(ucl, v1, v2, train.ClassLabels, w), LinearTrainer.Gradient(scl, v1, v2, train.ClassLabels, w, uclWeights)) < 1e-12);
    }

    [Fact]
    public void InvalidSetupCancellationAndDivergenceAreRefused()
    {
        var train = SyntheticDataset.Generate(Cfg, 10, new Generator(1));
        var ok = new TrainingSetup { P = 2, Steps = 3, LearningRate = 0.1 };
        Assert.Contains("--steps", Assert.Throws<UserInputException>(() => LinearTrainer.Train(train, ok with { Steps = 0 }, new Generator(1))).Message);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LinearTrainer.Train(train, ok, new Generator(1), ct: cts.Token));
        // The spectral gradient is cubic in W: a huge step overflows to non-finite weights.
        var diverge = ok with { Steps = 40, LearningRate = 1e6, InitStd = 1 };
        Assert.Contains("--lr", Assert.Throws<UserInputException>(() => LinearTrainer.Train(train, diverge, new Generator(1))).Message);
    }

    [Fact]
    public void LogSpacedStepsWithOnePointAreTheEnds()
    {
        Assert.Equal(new[] { 0, 100 }, LinearTrainer.LogSpacedSteps(100, 1));
        // 10^(0, 1/2, 1) rounded: 1, 3, 10.
        Assert.Equal(new[] { 0, 1, 3, 10 }, LinearTrainer.LogSpacedSteps(10, 3));
    }
}
