using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// What <see cref="ContrastiveTrainer"/> refuses before training (a batch larger than the training set) and its edge
/// (a training set of exactly one batch), and that a run cancelled before its first step stops there without writing
/// a checkpoint.
/// </summary>
[Collection("torch")]
public class TrainerGuardTests
{
    private static TrainConfig Config(ContrastiveLossKind loss, int batch) => new()
    {
        Dataset = "in-memory", Model = "convnet", Loss = loss, Epochs = 1, BatchSize = batch, WarmupEpochs = 0, Seed = 1, Device = DeviceChoice.Cpu, ProjectionDim = 8,
    };

    [Fact]
    public void TheBatchMayEqualTheTrainingSetButNotExceedIt()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TinyLabelledImages.Make("train", 8, seed: 1);
        using var test = TinyLabelledImages.Make("test", 4, seed: 2);
        _ = new ContrastiveTrainer(Config(ContrastiveLossKind.Ucl, 8), train, test, tmp.Sub("a"));
        var e = Assert.Throws<UserInputException>(() => new ContrastiveTrainer(Config(ContrastiveLossKind.Ucl, 9), train, test, tmp.Sub("b")));
        Assert.StartsWith("--batch-size 9: larger than the training set (8 examples)", e.Message);
    }

    [Fact]
    public void ARunCancelledBeforeItsFirstStepStopsThereWithoutACheckpoint()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TinyLabelledImages.Make("train", 8, seed: 1);
        using var test = TinyLabelledImages.Make("test", 4, seed: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var runDir = tmp.Sub("run");
        var stop = Assert.Throws<TrainingInterruptedException>(() => new ContrastiveTrainer(Config(ContrastiveLossKind.Ucl, 4), train, test, runDir).Run(ct: cancelled.Token));
        Assert.Equal((1, 0, 0L), (stop.Epoch, stop.StepInEpoch, stop.Step));
        Assert.Null(stop.Checkpoint);
        Assert.Empty(Checkpoint.List(runDir));
    }
}
