using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// What a user watches during a run: one progress task named after the loss and model, sized in steps, advanced once
/// per step with the epoch, the epoch's running mean loss (at the epoch's last step, the mean loss the metrics
/// record) and a throughput no lower than the whole run's; and <c>--threads</c>, which sets libtorch's thread count.
/// </summary>
[Collection("torch")]
public class TrainerProgressTests
{
    [Fact]
    public void EveryStepReportsItsEpochTheRunningMeanLossAndThroughput()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TinyLabelledImages.Make("train", 8, seed: 1);
        using var test = TinyLabelledImages.Make("test", 4, seed: 2);
        var cfg = new TrainConfig
        {
            Dataset = "in-memory", Model = "convnet", Loss = ContrastiveLossKind.Ucl, Epochs = 2, BatchSize = 4, WarmupEpochs = 0,
            Seed = 1, Device = DeviceChoice.Cpu, ProjectionDim = 8,
        };
        var progress = new RecordingProgress();
        var clock = Stopwatch.StartNew();
        var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run"), progress).Run();
        double wall = clock.Elapsed.TotalSeconds;
        using var _m = outcome.Model;
        using var _i = outcome.Input;
        using var _p = outcome.Probes;

        Assert.Equal([("train UCL convnet", 4.0)], progress.Tasks);                               // 2 epochs x 2 steps
        Assert.Equal(4, progress.Steps.Count);
        var status = new Regex(@"^epoch (\d)/2 loss (\d+\.\d{4}) \(epoch mean so far\) (\d+) img/s$");
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(1, progress.Steps[s].By);
            var m = status.Match(progress.Steps[s].Status ?? "");
            Assert.True(m.Success, $"step {s}: '{progress.Steps[s].Status}'");
            int epoch = s / 2 + 1;
            Assert.Equal(epoch, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            // Images so far in the epoch over at most the whole run's time: a floor on the rate shown.
            double floor = (s % 2 + 1) * cfg.BatchSize / wall;
            Assert.True(double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) >= Math.Floor(floor), $"step {s}: {m.Groups[3].Value} img/s below {floor:0.0}");
            if (s % 2 == 1)                                                                        // the epoch's last step: its mean loss
                Assert.Equal(outcome.History[epoch - 1].Loss.ToString("0.0000", CultureInfo.InvariantCulture), m.Groups[2].Value);
        }
    }

    [Fact]
    public void TheThreadsOptionSetsLibtorchsThreadCount()
    {
        int before = get_num_threads();
        int wanted = before == 1 ? 2 : 1;
        try
        {
            using var tmp = DataTestFiles.NewTempDir();
            using var train = TinyLabelledImages.Make("train", 4, seed: 1);
            using var test = TinyLabelledImages.Make("test", 4, seed: 2);
            var cfg = new TrainConfig
            {
                Dataset = "in-memory", Model = "convnet", Loss = ContrastiveLossKind.Ucl, Epochs = 1, BatchSize = 4, WarmupEpochs = 0,
                Seed = 1, Device = DeviceChoice.Cpu, ProjectionDim = 8, Threads = wanted,
            };
            var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run")).Run();
            outcome.Model.Dispose();
            outcome.Input.Dispose();
            outcome.Probes.Dispose();
            Assert.Equal(wanted, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }
}
