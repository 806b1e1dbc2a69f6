using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.TheoryModel;
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

    [Fact]
    public void LogSpacedStepsIncludeEndsAndAreSorted()
    {
        var s = LinearTrainer.LogSpacedSteps(1000, 5).ToArray();
        Assert.Equal(new[] { 0, 1, 6, 32, 178, 1000 }, s);
    }
}
