using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// <see cref="RunCursor"/> on its own, with a tiny linear "model" and no training: every epoch's order and
/// augmentation stream come from (seed, epoch) as Core/Seeds documents; the counters, the epoch's mean loss and
/// throughput follow from the steps recorded; checkpoints at epoch ends and on cancellation carry exactly where the run
/// stands; a resumed cursor continues there (same batches, the augmentation stream where it stopped, the partial loss
/// sum and rate), and a resume with other options or a broken mid-epoch checkpoint is refused.
/// </summary>
[Collection("torch")]
public class RunCursorTests
{
    private const int N = 10, Batch = 3, StepsPerEpoch = 3;   // 10 rows, batch 3: 3 steps, 1 row dropped

    private static TrainConfig Config(int seed = 7) => new() { Seed = seed, BatchSize = Batch, Epochs = 3, WarmupEpochs = 0 };

    private static (nn.Module State, optim.Optimizer[] Optimizers) Model()
    {
        manual_seed(1);
        var state = nn.Linear(2, 2);
        return (state, [optim.SGD(state.parameters(), 0.1)]);
    }

    private static RunCursor Open(string dir, TrainConfig cfg, bool resume, StringWriter? log = null)
    {
        var (state, opts) = Model();
        return RunCursor.Open(dir, cfg, N, StepsPerEpoch, resume, state, opts, log ?? new StringWriter(), FaultInjection.None);
    }

    private static long[] Longs(Tensor t) => t.data<long>().ToArray();

    [Fact]
    public void AnEpochDrawsItsOrderAndAugmentationFromSeedAndEpochAndCountsItsSteps()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var cfg = Config();
        using var cursor = Open(tmp.Path, cfg, resume: false);
        Assert.Equal(RunJson.Serialize(cfg), File.ReadAllText(Path.Combine(tmp.Path, "config.json")));
        Assert.Equal(0, cursor.CompletedEpochs);
        Assert.Equal(3.0 * StepsPerEpoch, cursor.StepsLeft(3));
        Assert.Throws<InvalidOperationException>(() => cursor.Batch(0));
        Assert.Throws<InvalidOperationException>(() => cursor.Augment);

        Assert.Equal(0, cursor.BeginEpoch(2));
        using var shuffle = new Generator(Seeds.EpochShuffle(cfg.Seed, 2));
        using var order = randperm(N, generator: shuffle);                                       // [N]
        for (int b = 0; b < StepsPerEpoch; b++)
            Assert.Equal(Longs(order.narrow(0, b * Batch, Batch)), Longs(cursor.Batch(b)));
        using var augment = new Generator(Seeds.EpochAugmentation(cfg.Seed, 2));
        using var expected = rand(4, generator: augment);
        using var drawn = rand(4, generator: cursor.Augment);
        Assert.Equal(expected.data<float>().ToArray(), drawn.data<float>().ToArray());

        double[] losses = [2.0, 1.5, 0.7];
        double[] rates = [0.1, 0.2, 0.3];
        for (int s = 0; s < 3; s++) cursor.StepDone(losses[s], rates[s], default);
        Assert.Equal((3L, 3, 4.2, 0.3), (cursor.Step, cursor.StepInEpoch, Math.Round(cursor.EpochLossSum, 12), cursor.LearningRate));
        var m = cursor.EpochMetrics();
        Assert.Equal(2, m.Epoch);
        Assert.Equal(3, m.Step);
        Assert.Equal(4.2 / StepsPerEpoch, m.Loss, 12);
        Assert.Equal(0.3, m.LearningRate);
        Assert.Equal(StepsPerEpoch * Batch / m.Seconds, m.ImagesPerSecond, 6);
        var nan = Assert.Throws<NonFiniteLossException>(() => cursor.EnsureFinite(double.NaN));
        Assert.Equal((2, 4L), (nan.Epoch, nan.Step));   // the step that produced it: the 4th
        Assert.Equal(1.25, cursor.EnsureFinite(1.25));
    }

    [Fact]
    public void EndEpochRecordsTheHistoryAndCheckpointsAndAResumeContinuesAfterIt()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var cfg = Config();
        using (var cursor = Open(tmp.Path, cfg, resume: false))
        {
            cursor.BeginEpoch(1);
            for (int s = 0; s < StepsPerEpoch; s++) cursor.StepDone(1.0 + s, 0.05, default);
            var m = cursor.EpochMetrics() with { KnnClassAccuracy = 0.5 };
            cursor.EndEpoch(m, ["class"]);
            Assert.Equal(1, cursor.CompletedEpochs);
            Assert.Equal([m], cursor.History);
            Assert.Equal(Path.Combine(tmp.Path, "checkpoint-0001.wfck"), cursor.LastCheckpoint);
            Assert.True(File.Exists(Path.Combine(tmp.Path, "metrics.csv")));
        }
        var header = Checkpoint.Load(Path.Combine(tmp.Path, "checkpoint-0001.wfck"), Model().State, []);
        Assert.Equal((1, 3L, 0, RunJson.Serialize(cfg)), (header.Epoch, header.Step, header.StepInEpoch, header.ConfigJson));

        var log = new StringWriter();
        using var resumed = Open(tmp.Path, cfg, resume: true, log);
        Assert.Equal((1, 1, 3L), (resumed.CompletedEpochs, resumed.Epoch, resumed.Step));
        Assert.Equal(0.5, Assert.Single(resumed.History).KnnClassAccuracy);
        Assert.Equal(2.0 * StepsPerEpoch, resumed.StepsLeft(3));
        Assert.Contains("resumed from epoch 1 (step 3).", log.ToString());
        Assert.Equal(0, resumed.BeginEpoch(2));

        // A new run (no --resume) in the folder removes the old run's checkpoints first.
        var fresh = new StringWriter();
        using var again = Open(tmp.Path, cfg, resume: false, fresh);
        Assert.Empty(Checkpoint.List(tmp.Path));
        Assert.Contains("removed 1 checkpoint(s) of an earlier run", fresh.ToString());
    }

    [Fact]
    public void CancellationCheckpointsMidEpochAndTheResumedCursorContinuesTheSameBatchesAndStream()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var cfg = Config(seed: 11);
        using var cts = new CancellationTokenSource();

        // The uninterrupted epoch 1: its batches and the augmentation draws of steps 3 (after two steps of 5 draws).
        long[][] batches;
        float[] thirdStepDraws;
        using (var reference = Open(Path.Combine(tmp.Path, "reference"), cfg, resume: false))
        {
            reference.BeginEpoch(1);
            batches = Enumerable.Range(0, StepsPerEpoch).Select(b => Longs(reference.Batch(b))).ToArray();
            for (int s = 0; s < 2; s++) { using var _ = rand(5, generator: reference.Augment); }
            using var third = rand(5, generator: reference.Augment);
            thirdStepDraws = third.data<float>().ToArray();
        }

        var dir = Path.Combine(tmp.Path, "run");
        using (var cursor = Open(dir, cfg, resume: false))
        {
            cursor.BeginEpoch(1);
            cursor.CheckpointAndStopIfCancelled(cts.Token);                                      // not cancelled: nothing happens
            for (int s = 0; s < 2; s++)
            {
                using var _ = rand(5, generator: cursor.Augment);
                cursor.StepDone(0.5 + s, 0.2 * (s + 1), default);
            }
            cts.Cancel();
            var stop = Assert.Throws<TrainingInterruptedException>(() => cursor.CheckpointAndStopIfCancelled(cts.Token));
            Assert.Equal((1, 2, 2L), (stop.Epoch, stop.StepInEpoch, stop.Step));
            Assert.Equal(Path.Combine(dir, "checkpoint-0000-000002.wfck"), stop.Checkpoint);
            // Cancelled again with nothing done since: no second checkpoint.
            Assert.Throws<TrainingInterruptedException>(() => cursor.CheckpointAndStopIfCancelled(cts.Token));
            Assert.Single(Checkpoint.List(dir));
        }
        var header = Checkpoint.Load(Path.Combine(dir, "checkpoint-0000-000002.wfck"), Model().State, []);
        Assert.Equal((0, 2L, 2, 2.0, 0.4), (header.Epoch, header.Step, header.StepInEpoch, header.EpochLossSum, header.LearningRate));

        var log = new StringWriter();
        using var resumed = Open(dir, cfg, resume: true, log);
        Assert.Contains("resumed in epoch 1 after step 2 of the epoch (global step 2).", log.ToString());
        Assert.Equal(3.0 * StepsPerEpoch - 2, resumed.StepsLeft(3));
        Assert.Equal(2, resumed.BeginEpoch(1));
        Assert.Equal((2, 2.0, 0.4, 2L), (resumed.StepInEpoch, resumed.EpochLossSum, resumed.LearningRate, resumed.Step));
        Assert.Equal(batches[2], Longs(resumed.Batch(2)));
        using var draws = rand(5, generator: resumed.Augment);
        Assert.Equal(thirdStepDraws, draws.data<float>().ToArray());
        // The resumed state applies to that epoch only: the next epoch starts from its own seed.
        Assert.Equal(0, resumed.BeginEpoch(2));
        Assert.Equal((0, 0.0, 0.0), (resumed.StepInEpoch, resumed.EpochLossSum, resumed.LearningRate));
    }

    [Fact]
    public void AResumeIsRefusedWithOtherOptionsOrABrokenMidEpochCheckpointAndStartsOverWithNoCheckpoint()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var cfg = Config();
        var log = new StringWriter();
        using (var empty = Open(tmp.Path, cfg, resume: true, log))
            Assert.Equal(0, empty.CompletedEpochs);
        Assert.Contains("no checkpoint in", log.ToString());

        using (var cursor = Open(tmp.Path, cfg, resume: false))
        {
            cursor.BeginEpoch(1);
            for (int s = 0; s < StepsPerEpoch; s++) cursor.StepDone(1, 0.1, default);
            cursor.EndEpoch(cursor.EpochMetrics(), ["class"]);
        }
        var configJson = File.ReadAllText(Path.Combine(tmp.Path, "config.json"));
        var refused = Assert.Throws<UserInputException>(() => Open(tmp.Path, Config(seed: 8), resume: true));
        Assert.Contains("different configuration", refused.Message);
        Assert.Equal(configJson, File.ReadAllText(Path.Combine(tmp.Path, "config.json")));   // left describing its checkpoints

        // A mid-epoch checkpoint without an augmentation state, and one past the epoch's end.
        var (state, opts) = Model();
        foreach (var (stepInEpoch, augmentState) in new[] { (1, (string?)null), (StepsPerEpoch + 1, Convert.ToBase64String([1, 2])) })
        {
            Checkpoint.Save(tmp.Path, new Checkpoint.Header(RunJson.Serialize(cfg), 1, 4, "[]", DateTime.UtcNow)
            {
                StepInEpoch = stepInEpoch, AugmentGeneratorState = augmentState,
            }, state, opts, keep: 10);
            var broken = Assert.Throws<CheckpointFormatException>(() => Open(tmp.Path, cfg, resume: true));
            Assert.Contains($"step {stepInEpoch} of {StepsPerEpoch}", broken.Message);
            File.Delete(Path.Combine(tmp.Path, Checkpoint.FileName(1, stepInEpoch)));
        }
        // A half-written temporary of a killed write is removed before resuming.
        File.WriteAllText(Path.Combine(tmp.Path, ".checkpoint-0002.wfck.1.tmp"), "half");
        var resumeLog = new StringWriter();
        using var resumed = Open(tmp.Path, cfg, resume: true, resumeLog);
        Assert.Contains("removed 1 half-written checkpoint file(s)", resumeLog.ToString());
        Assert.Equal(1, resumed.CompletedEpochs);
    }
}
