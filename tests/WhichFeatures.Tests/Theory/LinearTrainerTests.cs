using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>Every loss trains the linear model: GD and mini-batch SGD, spectral and InfoNCE (normalised or not), SCL/UCL/joint.</summary>
[Collection("torch")]
public class LinearTrainerTests : IDisposable
{
    // Tiny models: one thread avoids OpenMP contention on a shared machine (10-25x slower measured).
    private readonly int _threads = torch.get_num_threads();
    public LinearTrainerTests() => torch.set_num_threads(1);
    public void Dispose() => torch.set_num_threads(_threads);

    public static IEnumerable<object[]> Cases() =>
        from family in new[] { LossFamily.Spectral, LossFamily.InfoNce }
        from kind in new[] { ContrastiveLossKind.Scl, ContrastiveLossKind.Ucl, ContrastiveLossKind.Joint }
        from batch in new[] { 0, 8 }
        from normalize in family == LossFamily.InfoNce ? new[] { true, false } : new[] { true }
        select new object[] { family, kind, batch, normalize };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainingLowersTheLossOnTheFixedViews(LossFamily family, ContrastiveLossKind kind, int batch, bool normalize)
    {
        var cfg = new SyntheticDataConfig { N = 16, NTest = 8, D = 40, SubclassStrength = 0.7, EasyStrength = 1, NoiseSigma = 1 };
        var train = SyntheticDataset.Generate(cfg, 16, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));
        var setup = new TrainingSetup
        {
            Family = family, Kind = kind, Beta = 0.5, Normalize = normalize, Temperature = 0.5, P = 3, Steps = 30,
            LearningRate = family == LossFamily.Spectral ? 0.05 : 0.2, InitStd = 0.05, BatchSize = batch, LogPoints = 2,
        };
        var losses = new List<(int Step, double Loss)>();
        using var w = LinearTrainer.Train(train, setup, new Generator(3), (s, _, l) => losses.Add((s, l)), fixedViews: (v1, v2));
        Assert.Equal(0, losses[0].Step);
        Assert.Equal(30, losses[^1].Step);
        Assert.True(losses[^1].Loss < losses[0].Loss - 1e-3, $"{family} {kind} batch {batch}: loss {losses[0].Loss} -> {losses[^1].Loss}");
        Assert.Equal(new long[] { 3, 40 }, w.shape);
    }

    // The gradient GD steps along is the derivative of the loss GD reports: every entry of ∂L/∂W matches a central
    // finite difference of LinearTrainer.Loss (float64), for every loss family, kind and normalisation. A mis-scaled
    // or mis-signed gradient (which still lowers the loss a little) fails here.
    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferencesOfTheLoss(LossFamily family, ContrastiveLossKind kind, int batch, bool normalize)
    {
        var cfg = new SyntheticDataConfig { N = 8, NTest = 4, D = 10, SubclassStrength = 0.7, EasyStrength = 1, NoiseSigma = 1 };
        var train = SyntheticDataset.Generate(cfg, 8, new Generator(1));
        var (v1, v2) = train.DrawViews(new Generator(2));                                         // [8, 10] each
        if (batch > 0) (v1, v2) = (v1[..4], v2[..4]);                                              // a mini-batch: its own weights
        var labels = batch > 0 ? train.ClassLabels[..4] : train.ClassLabels;
        var setup = new TrainingSetup { Family = family, Kind = kind, Beta = 0.3, Normalize = normalize, Temperature = 0.5, P = 3 };
        var w = randn(new long[] { 3, 10 }, dtype: ScalarType.Float64, generator: new Generator(3)) * 0.5;   // [3, 10]
        var grad = LinearTrainer.Gradient(setup, v1, v2, labels, w);                              // [3, 10]
        const double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 10; j++)
            {
                var plus = w.clone(); plus[i, j] += h;
                var minus = w.clone(); minus[i, j] -= h;
                double fd = (LinearTrainer.Loss(setup, v1, v2, labels, plus) - LinearTrainer.Loss(setup, v1, v2, labels, minus)) / (2 * h);
                double g = grad[i, j].ToDouble();
                worst = Math.Max(worst, Math.Abs(fd - g) / Math.Max(1e-3, Math.Abs(fd)));
            }
        Assert.True(worst < 1e-5, $"{family} {kind} batch {batch} normalize {normalize}: worst relative error {worst:E2}");
    }

    [Fact]
    public void LogSpacedStepsIncludeEndsAndAreSorted()
    {
        var s = LinearTrainer.LogSpacedSteps(1000, 5).ToArray();
        Assert.Equal(new[] { 0, 1, 6, 32, 178, 1000 }, s);
    }
}
