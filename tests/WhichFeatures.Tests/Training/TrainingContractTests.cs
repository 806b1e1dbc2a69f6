using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// What Training/'s small parts promise: the learning-rate schedule at its edges, the sentences a stopped run ends
/// with, the split sizes a config asks for and samples.csv that lines them up, the documented defaults of a
/// config.json that leaves them out, and the metrics' JSON form. Written to kill the mutants Stryker found
/// surviving in Training/ (docs/testing.md).
/// </summary>
[Collection("torch")]
public class TrainingContractTests
{
    [Fact]
    public void TheScheduleAcceptsItsEdgesRefusesWhatIsOutsideAndEndsAtTheFinalRate()
    {
        // One step, or warm-up over the whole run, are valid; a single step is the last one, at the final rate.
        Assert.Equal(0.25, new WarmupCosineSchedule(1.0, totalSteps: 1, warmupSteps: 0, finalFraction: 0.25).At(0), 12);
        var allWarm = new WarmupCosineSchedule(2.0, totalSteps: 4, warmupSteps: 4);
        Assert.Equal([0.5, 1.0, 1.5, 2.0], Enumerable.Range(0, 4).Select(s => allWarm.At(s)));
        // One decay step after warm-up: it is the last step, so it runs at the final rate.
        Assert.Equal(0.1, new WarmupCosineSchedule(1.0, totalSteps: 5, warmupSteps: 4, finalFraction: 0.1).At(4), 12);
        // Two decay steps: the base rate, then the final one.
        var two = new WarmupCosineSchedule(1.0, totalSteps: 2, warmupSteps: 0, finalFraction: 0.1);
        Assert.Equal((1.0, 0.1), (two.At(0), Math.Round(two.At(1), 12)));
        Assert.StartsWith("learning rate must be > 0, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(-1, 10, 0)).Message);
        Assert.StartsWith("total steps must be >= 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1, 0, 0)).Message);
        Assert.StartsWith("warm-up steps must be in [0, 3], got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1, 3, -1)).Message);
        Assert.StartsWith("warm-up steps must be in [0, 3], got 4", Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(1, 3, 4)).Message);
    }

    [Fact]
    public void AStoppedRunSaysWhereItStoppedAndWhatAResumeStartsFrom()
    {
        Assert.Equal("interrupted in epoch 2 after step 3 of the epoch (global step 13); checkpoint written: /r/checkpoint-2-3.wfck.",
            new TrainingInterruptedException(2, 3, 13, "/r/checkpoint-2-3.wfck").Message);
        Assert.Equal("interrupted in epoch 1 after step 0 of the epoch (global step 0); no checkpoint had been written yet, so a resumed run starts from the beginning.",
            new TrainingInterruptedException(1, 0, 0, null).Message);
        Assert.Equal("the loss became NaN at epoch 3, step 21; training stopped. The last good checkpoint is /r/c.wfck. Try a smaller --lr or a longer --warmup-epochs.",
            new NonFiniteLossException(3, 21, double.NaN, "/r/c.wfck").Message);
        Assert.Equal("the loss became ∞ at epoch 1, step 2; training stopped. No checkpoint had been written yet. Try a smaller --lr or a longer --warmup-epochs.",
            new NonFiniteLossException(1, 2, double.PositiveInfinity, null).Message.Replace("Infinity", "∞"));
    }

    [Fact]
    public void TheConfigsSizesDecideTheSplitsAndSamplesCsvListsEveryRowLoaded()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = tmp.Sub("data");
        Directory.CreateDirectory(data);
        DataTestFiles.WriteCifar10(data, new Random(4), gz: false, n1: 30, n3: 10, nTest: 20);
        var cfg = new TrainConfig { Dataset = "cifar10", DataDir = data, Superclasses = true, Seed = 2, TrainSize = 12, TestSize = 7 };
        var (train, test) = TrainData.Load(cfg);
        using var _tr = train;
        using var _te = test;
        Assert.Equal((12, 7), (train.Count, test.Count));
        var (allTrain, allTest) = TrainData.Load(cfg with { TrainSize = 0, TestSize = 0 });   // 0: the whole split
        using var _a = allTrain;
        using var _b = allTest;
        Assert.Equal((40, 20), (allTrain.Count, allTest.Count));

        var runDir = tmp.Sub("run");
        Directory.CreateDirectory(runDir);
        SamplesCsv.Write(runDir, train, test);
        var lines = File.ReadAllLines(Path.Combine(runDir, SamplesCsv.FileName));
        Assert.Equal("split,position,source_index,class,subclass", lines[0]);                // labels in ordinal order
        Assert.Equal(1 + 12 + 7, lines.Length);
        var cls = (Train: train.LabelValues(LabelKeys.Class), Test: test.LabelValues(LabelKeys.Class));
        var sub = (Train: train.LabelValues(LabelKeys.Subclass), Test: test.LabelValues(LabelKeys.Subclass));
        for (int i = 0; i < 12; i++)
            Assert.Equal($"train,{i},{train.SourceIndices[i]},{cls.Train[i]},{sub.Train[i]}", lines[1 + i]);
        for (int i = 0; i < 7; i++)
            Assert.Equal($"test,{i},{test.SourceIndices[i]},{cls.Test[i]},{sub.Test[i]}", lines[13 + i]);
        Assert.NotEqual(Enumerable.Range(0, 12).Select(i => (long)i), train.SourceIndices);           // a real subset, not the first rows
    }

    [Fact]
    public void AConfigJsonWithoutTheOptionsReadsBackWithTheDocumentedDefaults()
    {
        var cfg = JsonSerializer.Deserialize<TrainConfig>("{}", RunJson.Options)!;
        Assert.Equal(("cifar10", "data", "auto"), (cfg.Dataset, cfg.DataDir, cfg.Device.ToString()));
    }

    [Fact]
    public void EpochMetricsLeaveOutAnEmptyOfflineCurveAndReadAMissingOneAsEmpty()
    {
        var json = JsonSerializer.Serialize(new EpochMetrics { Epoch = 1, Loss = 2.5 }, RunJson.Options);
        Assert.DoesNotContain("offlineTestAccuracy", json);
        var withCurve = JsonSerializer.Serialize(new EpochMetrics { Epoch = 1, OfflineTestAccuracy = new() { ["class"] = 0.5 } }, RunJson.Options);
        Assert.Contains("\"offlineTestAccuracy\"", withCurve);
        var back = JsonSerializer.Deserialize<EpochMetrics>("{\"epoch\": 1, \"offlineTestAccuracy\": null}", RunJson.Options)!;
        Assert.NotNull(back.OfflineTestAccuracy);
        Assert.Empty(back.OfflineTestAccuracy);
    }
}
