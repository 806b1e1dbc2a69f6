using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// Information flow through training, tested without any reference value: what a run may read decides its
/// weights bit for bit. UCL never reads labels (permuting class and subclass leaves the encoder unchanged), SCL
/// does (the same permutation changes it), the online probes never move the encoder (their loss adds nothing to
/// the encoder's gradients), and the seed decides everything else. Tiny in-memory data, CPU, a few steps.
/// </summary>
[Collection("torch")]
public class LabelFlowTests
{
    private const int TrainImages = 32, TestImages = 8;

    private static TrainConfig Config(ContrastiveLossKind loss, int seed = 3) => new()
    {
        Dataset = "in-memory", Model = "convnet", Loss = loss, Epochs = 1, BatchSize = 8, Optimizer = OptimizerKind.Sgd,
        LearningRate = 0.1, WarmupEpochs = 0, Augment = AugmentPreset.Simclr, Seed = seed, Device = DeviceChoice.Cpu, ProjectionDim = 16,
    };

    private static ImageDataset Make(string name, int n, int seed, long[]? labelPermutation = null) =>
        TinyLabelledImages.Make(name, n, seed, labelPermutation);

    /// <summary>A permutation of 0..n-1 that moves every label (a fixed cyclic shift by 3: no example keeps its own).</summary>
    private static long[] Shift(int n) => Enumerable.Range(0, n).Select(i => (long)((i + 3) % n)).ToArray();

    /// <summary>Trains and returns every model tensor (parameters and buffers) and the online probes' parameters, as raw floats.</summary>
    private static (Dictionary<string, float[]> Encoder, Dictionary<string, float[]> Probes, double[] Losses) Train(TrainConfig cfg, long[]? labelPermutation = null)
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = Make("train", TrainImages, seed: 11, labelPermutation);
        using var test = Make("test", TestImages, seed: 12);
        var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run")).Run();
        using var input = outcome.Input;
        using var model = outcome.Model;
        using var probes = outcome.Probes;
        return (ModuleValues.Of(model.state_dict()), ModuleValues.Of(probes.state_dict()), outcome.History.Select(h => h.Loss).ToArray());
    }

    [Fact]
    public void UclNeverReadsLabels()
    {
        var plain = Train(Config(ContrastiveLossKind.Ucl));
        var permuted = Train(Config(ContrastiveLossKind.Ucl), Shift(TrainImages));
        Assert.NotEmpty(plain.Encoder);
        Assert.True(ModuleValues.Identical(plain.Encoder, permuted.Encoder), "UCL's encoder weights changed when only the labels were permuted");
        Assert.Equal(plain.Losses, permuted.Losses);
        // The online probes did read the permuted labels (so the labels really reached the run).
        Assert.False(ModuleValues.Identical(plain.Probes, permuted.Probes), "the online probes did not see the permuted labels");
    }

    [Fact]
    public void SclReadsLabels()
    {
        var plain = Train(Config(ContrastiveLossKind.Scl));
        var permuted = Train(Config(ContrastiveLossKind.Scl), Shift(TrainImages));
        Assert.False(ModuleValues.Identical(plain.Encoder, permuted.Encoder), "SCL's encoder weights did not depend on the labels");
    }

    [Fact]
    public void TheSeedDecidesEverything()
    {
        var a = Train(Config(ContrastiveLossKind.Ucl, seed: 3));
        var b = Train(Config(ContrastiveLossKind.Ucl, seed: 3));
        var c = Train(Config(ContrastiveLossKind.Ucl, seed: 4));
        Assert.True(ModuleValues.Identical(a.Encoder, b.Encoder), "two runs with one seed gave different encoder weights");
        Assert.True(ModuleValues.Identical(a.Probes, b.Probes), "two runs with one seed gave different online probes");
        Assert.Equal(a.Losses, b.Losses);
        Assert.False(ModuleValues.Identical(a.Encoder, c.Encoder), "two seeds gave the same encoder weights");
        Assert.NotEqual(a.Losses, c.Losses);
    }

    [Fact]
    public void TheOnlineProbeLossAddsNothingToTheEncoderGradients()
    {
        var cfg = Config(ContrastiveLossKind.Ucl);
        using var train = Make("train", TrainImages, seed: 11);
        var (state, input) = TrainingState.Create(cfg, train, CPU);
        using var _s = state;
        using var _i = input;
        using var scope = NewDisposeScope();
        var images = ImageTensors.ToFloat(train.Images.narrow(0, 0, 8));                       // [8, 3, S, S]
        var x = cat([input.Prepare(images, null), input.Prepare(images.flip(3), null)], 0);   // [16, 3, S, S]
        var labels = train.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.narrow(0, 0, 8).repeat(2));  // [16] each

        Dictionary<string, float[]> EncoderGradients(bool withProbeLoss)
        {
            state.zero_grad();
            var (h, z) = state.model.forward(x);                                                // [16, p], [16, q]
            var loss = InfoNceLoss.Ucl(z.narrow(0, 0, 8), z.narrow(0, 8, 8), cfg.Temperature);
            if (withProbeLoss) loss = loss + state.probes.Loss(h, labels);
            loss.backward();
            return state.model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.contiguous().data<float>().ToArray());
        }
        var without = EncoderGradients(false);
        var with = EncoderGradients(true);
        Assert.True(without.Values.Any(g => g.Any(v => v != 0)), "the contrastive loss gave no encoder gradient at all");
        Assert.True(ModuleValues.Identical(without, with), "the online probes' loss reached the encoder's gradients");
        // The probes themselves did get gradients.
        Assert.All(state.probes.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().ToDouble() > 0));
    }
}
