using WhichFeatures.Core;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>metrics.csv read back: every column <see cref="MetricsCsv.Write"/> writes comes back bit for bit.</summary>
public class MetricsCsvTests
{
    private static EpochMetrics Epoch(int e, bool offline) => new()
    {
        Epoch = e, Step = 5L * e, Loss = 6.1 / e + 1e-13, LearningRate = 0.3 * Math.Exp(-e), Seconds = 1.25 * e, ImagesPerSecond = 512.0 / 3,
        RssMegabytes = 400 + e / 7.0, KnnClassAccuracy = e == 1 ? double.NaN : 0.5 + e / 100.0,
        Health = e == 2 ? "loss-at-uniform; embeddings collapsed, projection" : TrainingHealth.Ok,
        OnlineTestAccuracy = new() { ["class"] = 0.1 * e, ["sub class"] = e == 1 ? double.NaN : 0.3 },
        OfflineTestAccuracy = offline ? new() { [OfflineProbeCurve.Key("encoder", "class")] = 0.7 + e / 1000.0, [OfflineProbeCurve.Key("projection", "sub class")] = 0.25 } : [],
    };

    [Fact]
    public void WhatWriteWroteReadsBackExactly()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var path = Path.Combine(tmp.Path, "metrics.csv");
        var history = new[] { Epoch(1, offline: false), Epoch(2, offline: true), Epoch(3, offline: false) };
        MetricsCsv.Write(path, history, ["class", "sub class"], offlineProbes: true);
        var read = MetricsCsv.Read(path);
        Assert.Equal(history.Length, read.Count);
        for (int i = 0; i < history.Length; i++)
        {
            var (a, b) = (history[i], read[i]);
            Assert.Equal((a.Epoch, a.Step, a.Loss, a.LearningRate, a.Seconds, a.ImagesPerSecond, a.RssMegabytes, a.KnnClassAccuracy, a.Health),
                         (b.Epoch, b.Step, b.Loss, b.LearningRate, b.Seconds, b.ImagesPerSecond, b.RssMegabytes, b.KnnClassAccuracy, b.Health));
            Assert.Equal(a.OnlineTestAccuracy.OrderBy(kv => kv.Key), b.OnlineTestAccuracy.OrderBy(kv => kv.Key));
            // Columns of an offline probe that did not run this epoch hold NaN; read back, they are absent, as in training.
            Assert.Equal(a.OfflineTestAccuracy.OrderBy(kv => kv.Key), b.OfflineTestAccuracy.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void AFileThatIsNotAMetricsCsvIsNamed()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var path = Path.Combine(tmp.Path, "metrics.csv");
        File.WriteAllText(path, "epoch,loss\n1,2\n");
        var e = Assert.Throws<UserInputException>(() => MetricsCsv.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("step", e.Message);
        MetricsCsv.Write(path, [Epoch(1, false)], ["class"]);
        File.AppendAllText(path, "2,10,x,0,0,0,0,0,ok,0\n");
        Assert.Contains("line 3: loss 'x' is not a number", Assert.Throws<UserInputException>(() => MetricsCsv.Read(path)).Message);
    }
}
