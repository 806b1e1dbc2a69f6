using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// <see cref="ContrastiveTrainer"/> against a naive re-implementation of its documented loop, written here from the
/// documentation and not from the trainer's helpers: the model seeded with the config's seed, the optimiser built
/// from the options, an epoch's order and augmentation drawn from (seed, epoch), equal-size batches (the last
/// partial one dropped), two views per image, the contrastive loss on the projections plus the online probes' loss,
/// and the learning rate of warm-up + cosine written out as a formula. Weights must agree bit for bit, and the
/// per-epoch numbers (mean loss, last learning rate, steps, evaluation epochs, kNN and online accuracy at the end)
/// must be what the naive loop and a naive evaluation give.
/// </summary>
[Collection("torch")]
public class TrainerLoopReferenceTests
{
    private const int TrainImages = 36, TestImages = 12, Bits = 2;

    public static TheoryData<string> Settings => new() { "sgd-joint-warmup-randbits", "adam-ucl" };

    private static TrainConfig Config(string setting) => setting switch
    {
        // 36 images, batch 8: 4 steps per epoch, 4 images dropped; a warm-up epoch, then cosine over 2 epochs.
        "sgd-joint-warmup-randbits" => new TrainConfig
        {
            Dataset = "in-memory", Model = "convnet", Loss = ContrastiveLossKind.Joint, Beta = 0.3, Temperature = 0.4,
            Epochs = 3, WarmupEpochs = 1, BatchSize = 8, Optimizer = OptimizerKind.Sgd, LearningRate = 0.2, Momentum = 0.8,
            WeightDecay = 1e-3, Augment = AugmentPreset.Simclr, Seed = 5, Device = DeviceChoice.Cpu, ProjectionDim = 16, Embedding = 24,
            OnlineProbeLearningRate = 3e-3, EvalEvery = 2,
        },
        "adam-ucl" => new TrainConfig
        {
            Dataset = "in-memory", Model = "convn", Loss = ContrastiveLossKind.Ucl, Temperature = 0.2,
            Epochs = 2, WarmupEpochs = 0, BatchSize = 6, Optimizer = OptimizerKind.Adam, LearningRate = 2e-3, WeightDecay = 1e-4,
            Augment = AugmentPreset.Crop, Seed = 9, Device = DeviceChoice.Cpu, Head = ProjectionHeadKind.Linear, ProjectionDim = 8, EvalEvery = 1,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };

    // The RandBit-style extra channels of the first setting: 2 constant bits per image, independent of its label.
    private static ImageDataset Data(string name, int n, int seed, bool withBits)
    {
        var d = TinyLabelledImages.Make(name, n, seed);
        if (!withBits) return d;
        var bits = tensor(Enumerable.Range(0, n * Bits).Select(i => (float)((i * 7 + seed) % 3 == 0 ? 1 : 0)).ToArray(), [n, Bits]);   // [n, k]
        return new ImageDataset(name, d.Images, d.Labels, d.LabelNames, extraChannels: bits);
    }

    // Warm-up: rate x (step + 1) / W for the first W steps; then cosine from the rate down to 0 over the remaining
    // D = T - W steps, reaching 0 at the last one (t = (step - W) / (D - 1)).
    private static double NaiveRate(double rate, long step, long total, long warmup)
    {
        if (step < warmup) return rate * (step + 1) / warmup;
        long decay = total - warmup;
        double t = decay <= 1 ? 1 : (double)(step - warmup) / (decay - 1);
        return rate * 0.5 * (1 + Math.Cos(Math.PI * t));
    }

    private sealed record NaiveRun(Dictionary<string, float[]> Weights, Dictionary<string, float[]> ProbeWeights, double[] EpochLoss, double[] EpochRate, long Steps);

    private static NaiveRun TrainNaively(TrainConfig c, ImageDataset train)
    {
        var modelConfig = new ModelConfig
        {
            Name = c.Model, InChannels = train.Channels + train.ExtraChannelCount, EmbeddingSize = c.Embedding,
            Head = c.Head, ProjectionSize = c.ProjectionDim,
        };
        ConvolutionPathCheck.Choose(modelConfig, train.Height);   // the convolution path the trainer runs (oneDNN off unless it passed)
        manual_seed(c.Seed);
        var model = ModelFactory.Create(modelConfig, CPU);
        var probes = new OnlineLinearProbes((int)model.RepresentationSize, train.Labels.Keys.ToDictionary(k => k, k => train.NumClasses(k)));
        using var input = new ModelInput(train, CPU);
        optim.Optimizer opt = c.Optimizer == OptimizerKind.Sgd
            ? optim.SGD(model.parameters(), c.LearningRate, momentum: c.Momentum, weight_decay: c.WeightDecay)
            : optim.Adam(model.parameters(), c.LearningRate, weight_decay: c.WeightDecay);
        var probeOpt = optim.Adam(probes.parameters(), c.OnlineProbeLearningRate);
        var augment = AugmentationPipeline.FromPreset(c.Augment);
        int b = c.BatchSize, steps = (int)train.Count / b;
        long step = 0;
        var epochLoss = new double[c.Epochs];
        var epochRate = new double[c.Epochs];
        for (int epoch = 1; epoch <= c.Epochs; epoch++)
        {
            model.train();
            probes.train();
            using var shuffle = new Generator(Seeds.EpochShuffle(c.Seed, epoch));
            using var views = new Generator(Seeds.EpochAugmentation(c.Seed, epoch));
            using var order = randperm(train.Count, generator: shuffle);                          // [N]
            for (int s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                var idx = order.narrow(0, s * b, b);                                              // [B]
                var (v1, v2) = augment.TwoViews(train.Images.index_select(0, idx), views);       // [B, C, H, W] each
                var extra = train.ExtraChannels?.index_select(0, idx);                           // [B, k]
                var x = cat([input.Prepare(v1, extra), input.Prepare(v2, extra)], 0);            // [2B, C + k, H, W]
                var (h, z) = model.forward(x);                                                   // [2B, p], [2B, q]
                var cls = train.Labels[LabelKeys.Class].index_select(0, idx);                    // [B]
                var loss = c.Loss switch
                {
                    ContrastiveLossKind.Ucl => InfoNceLoss.Ucl(z[..b], z[b..], c.Temperature),
                    ContrastiveLossKind.Scl => InfoNceLoss.Scl(z[..b], z[b..], cls, c.Temperature),
                    _ => InfoNceLoss.Joint(z[..b], z[b..], cls, c.Beta, c.Temperature),
                };
                var labels = train.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, idx).repeat(2));  // [2B]
                var probeLoss = probes.Loss(h, labels);
                opt.zero_grad();
                probeOpt.zero_grad();
                (loss + probeLoss).backward();
                double rate = NaiveRate(c.LearningRate, step, (long)steps * c.Epochs, (long)steps * c.WarmupEpochs);
                foreach (var g in opt.ParamGroups) g.LearningRate = rate;
                opt.step();
                probeOpt.step();
                epochLoss[epoch - 1] += loss.ToDouble() / steps;
                epochRate[epoch - 1] = rate;
                step++;
            }
        }
        var result = new NaiveRun(ModuleValues.Of(model.state_dict()), ModuleValues.Of(probes.state_dict()), epochLoss, epochRate, step);
        model.Dispose();
        probes.Dispose();
        return result;
    }

    private static void AssertIdentical(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.True(values.AsSpan().SequenceEqual(actual[name]), $"{what}: {name} differs from the naive loop's");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void TheTrainerIsTheDocumentedLoopBitForBit(string setting)
    {
        var cfg = Config(setting);
        bool bits = setting.Contains("randbits");
        using var tmp = DataTestFiles.NewTempDir();
        using var train = Data("train", TrainImages, seed: 21, bits);
        using var test = Data("test", TestImages, seed: 22, bits);
        var naive = TrainNaively(cfg, train);

        var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run")).Run();
        using var input = outcome.Input;
        using var model = outcome.Model;
        using var probes = outcome.Probes;

        AssertIdentical(naive.Weights, ModuleValues.Of(model.state_dict()), "encoder");
        AssertIdentical(naive.ProbeWeights, ModuleValues.Of(probes.state_dict()), "online probes");
        Assert.Equal(cfg.Epochs, outcome.History.Count);
        for (int e = 0; e < cfg.Epochs; e++)
        {
            var m = outcome.History[e];
            Assert.Equal(e + 1, m.Epoch);
            Assert.Equal(naive.Steps / cfg.Epochs * (e + 1), m.Step);
            Assert.Equal(naive.EpochLoss[e], m.Loss, 5);
            Assert.Equal(naive.EpochRate[e], m.LearningRate, 12);
            Assert.True(m.ImagesPerSecond > 0 && m.Seconds >= 0);
            // Evaluated every EvalEvery epochs and at the last.
            bool evaluated = (e + 1) % cfg.EvalEvery == 0 || e + 1 == cfg.Epochs;
            Assert.Equal(evaluated, m.OnlineTestAccuracy.Count > 0);
            Assert.Equal(evaluated, !double.IsNaN(m.KnnClassAccuracy));
            Assert.Empty(m.OfflineTestAccuracy);
        }
        Assert.Equal(naive.Steps, outcome.History[^1].Step);

        // The last epoch's evaluation, redone on the final model: online probes on the test features, kNN on the class.
        using var scope = NewDisposeScope();
        var trainF = FeatureExtractor.Extract(model, input, train, CPU);
        var testF = FeatureExtractor.Extract(model, input, test, CPU);
        probes.eval();
        var online = probes.Accuracy(testF.Features, test.Labels);
        Assert.Equal(online.OrderBy(kv => kv.Key), outcome.History[^1].OnlineTestAccuracy.OrderBy(kv => kv.Key));
        // kNN: the training split is the bank, the test split the queries (Evaluation/KnnClassifier is tested on its own).
        Assert.Equal(new ProbeSuite().KnnClassAccuracy(trainF, testF), outcome.History[^1].KnnClassAccuracy, 12);
    }
}
