using WhichFeatures.Evaluation;
using WhichFeatures.Models;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// Numerical faults (docs/robustness.md): a learning rate that makes SGD blow up is caught at the first non-finite loss
/// (checked every step, before the update), the CLI names the epoch and step and exits 2, and the last good
/// checkpoint is intact and loads.
/// </summary>
[Collection("torch")]
public class DivergenceTests
{
    [Fact]
    public void HugeLearningRateStopsAtTheFirstNonFiniteLossAndKeepsTheLastGoodCheckpoint()
    {
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var dir = Path.Combine(tmp.Path, "run");
        // Warm-up over all 3 epochs: epoch 1 (rate up to 1e6) stays finite, epoch 2 (up to 2e6) blows up.
        var args = TinyRun.TrainArgs(data, dir, "--lr", "3e6", "--warmup-epochs", "3").Select(a => a == "2" ? "3" : a).ToArray();
        Assert.Contains("3", args[Array.IndexOf(args, "--epochs") + 1]);
        var r = CliHarness.InProcess(args);

        r.AssertUserError("the loss became NaN at epoch 2, step", "smaller --lr");
        var step = int.Parse(System.Text.RegularExpressions.Regex.Match(r.Err, @"epoch 2, step (\d+)").Groups[1].Value);
        Assert.InRange(step, TinyRun.StepsPerEpoch + 1, 2 * TinyRun.StepsPerEpoch);
        var good = Path.Combine(dir, Checkpoint.FileName(1));
        Assert.Contains($"The last good checkpoint is {good}", r.Err);
        Assert.False(File.Exists(Path.Combine(dir, Checkpoint.FileName(2))));
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));
        var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.Equal(2, metrics.Length);   // header + epoch 1
        Assert.True(double.IsFinite(double.Parse(metrics[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)));

        // The checkpoint verifies, loads into a fresh model of the same shape, and holds finite weights.
        using var scope = NewDisposeScope();
        var model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = 3, Head = ProjectionHeadKind.Mlp, ProjectionSize = 128 }, CPU);
        var probes = new OnlineLinearProbes((int)model.RepresentationSize, new Dictionary<string, int> { ["class"] = 10 });
        var state = new TrainingState(model, probes);
        var opt = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var probeOpt = optim.Adam(probes.parameters());
        var header = Checkpoint.LoadLatest(dir, state, [opt, probeOpt]);
        Assert.NotNull(header);
        Assert.Equal((1, TinyRun.StepsPerEpoch, 0), (header!.Epoch, (int)header.Step, header.StepInEpoch));
        foreach (var (name, p) in state.named_parameters())
            Assert.True(p.isfinite().all().item<bool>(), $"{name} is not finite in the last good checkpoint");
    }
}
