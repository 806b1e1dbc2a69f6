using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// The offline probe curve (<see cref="OfflineProbeCurve"/>, <c>--offline-probe-every</c>): it is a pure reader of
/// the run (weights bit-identical with and without it), its last point equals probes fitted independently on the
/// returned model's features (the final evaluation's for the encoder output, the model's own forward for the
/// projection), it survives an interruption and <c>--resume</c> exactly, and it is measured at epochs N, 2N, ... and
/// the last only. Tiny in-memory data (<see cref="TinyLabelledImages"/>), CPU, a few steps.
/// </summary>
[Collection("torch")]
public class OfflineProbeCurveTests
{
    private const int TrainImages = 32, TestImages = 32, BatchSize = 8;
    // Noisy enough that the probes are not perfect, so the two layers' accuracies can differ (checked below).
    private const int Noise = 120;
    private static readonly string[] Labels = [LabelKeys.Class, LabelKeys.Subclass];

    private static TrainConfig Config(int offlineEvery, int epochs = 2, ProjectionHeadKind head = ProjectionHeadKind.Mlp, int evalEvery = 1) => new()
    {
        Dataset = "in-memory", Model = "convnet", Loss = ContrastiveLossKind.Scl, Epochs = epochs, BatchSize = BatchSize, Optimizer = OptimizerKind.Sgd,
        LearningRate = 0.1, WarmupEpochs = 0, Augment = AugmentPreset.Simclr, Seed = 5, Device = DeviceChoice.Cpu, Head = head, ProjectionDim = 16,
        EvalEvery = evalEvery, OfflineProbeEvery = offlineEvery,
    };

    private static ImageDataset TrainSplit() => TinyLabelledImages.Make("train", TrainImages, seed: 21, noise: Noise);
    private static ImageDataset TestSplit() => TinyLabelledImages.Make("test", TestImages, seed: 22, noise: Noise);

    /// <summary>Every value of a run that must not depend on interruptions, one line per epoch (timings and memory left out).</summary>
    private static List<string> Measured(IReadOnlyList<EpochMetrics> history) =>
        history.Select(h => $"{h.Epoch} {h.Step} {h.Loss:R} {h.LearningRate:R} knn {h.KnnClassAccuracy:R} " +
                            $"online {string.Join(",", h.OnlineTestAccuracy.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value:R}"))} " +
                            $"offline {string.Join(",", h.OfflineTestAccuracy.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value:R}"))}").ToList();

    // Cancels the run when it reaches one fault point (as Ctrl-C would there): the trainer checkpoints mid-epoch and stops.
    private sealed class CancelAt(string point, CancellationTokenSource cts) : IFaultHook
    {
        public void Reached(string p, CancellationToken ct = default) { if (p == point) cts.Cancel(); }
    }

    [Fact]
    public void OfflineProbingLeavesTheTrainedWeightsBitIdentical()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TrainSplit();
        using var test = TestSplit();
        (Dictionary<string, float[]> Model, Dictionary<string, float[]> Probes, List<EpochMetrics> History) Run(int offlineEvery, string dir)
        {
            var outcome = new ContrastiveTrainer(Config(offlineEvery), train, test, tmp.Sub(dir)).Run();
            using var input = outcome.Input;
            using var model = outcome.Model;
            using var probes = outcome.Probes;
            return (ModuleValues.Of(model.state_dict()), ModuleValues.Of(probes.state_dict()), outcome.History.ToList());
        }
        var off = Run(0, "off");
        var on = Run(1, "on");
        // The probes really ran in the second run, at every epoch and both layers, and never in the first.
        Assert.All(on.History, h => Assert.Equal(4, h.OfflineTestAccuracy.Count));
        Assert.All(off.History, h => Assert.Empty(h.OfflineTestAccuracy));
        Assert.NotEmpty(off.Model);
        Assert.True(ModuleValues.Identical(off.Model, on.Model), "offline probing changed the encoder or head weights (or BatchNorm buffers)");
        Assert.True(ModuleValues.Identical(off.Probes, on.Probes), "offline probing changed the online probes");
        Assert.Equal(off.History.Select(h => h.Loss), on.History.Select(h => h.Loss));
        Assert.Equal(off.History.Select(h => h.OnlineTestAccuracy), on.History.Select(h => h.OnlineTestAccuracy));
        Assert.Equal(off.History.Select(h => h.KnnClassAccuracy), on.History.Select(h => h.KnnClassAccuracy));
    }

    [Theory]
    [InlineData(ProjectionHeadKind.Mlp)]
    [InlineData(ProjectionHeadKind.None)]
    public void LastEpochEqualsProbesFittedIndependentlyOnTheReturnedModel(ProjectionHeadKind head)
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TrainSplit();
        using var test = TestSplit();
        var cfg = Config(offlineEvery: 1, epochs: 1, head: head);
        var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run")).Run();
        using var input = outcome.Input;
        using var model = outcome.Model;
        using var probes = outcome.Probes;
        var last = outcome.History[^1].OfflineTestAccuracy;

        // Encoder output: the final evaluation's probes on the same model.
        var final = FinalEvaluation.Write(tmp.Sub("run"), cfg, outcome, train, test, wallSeconds: 0);
        foreach (var label in Labels)
            Assert.Equal(final.Probes.Single(p => p.Label == label).TestAccuracy, last[OfflineProbeCurve.Key(OfflineProbeCurve.EncoderLayer, label)]);

        // Projection output: the model's own forward on the whole split (one batch), then a probe fitted here.
        using var scope = NewDisposeScope();
        Tensor Projections(ImageDataset data)
        {
            model.eval();
            using var _ = no_grad();
            var (_, z) = model.forward(input.Prepare(ImageTensors.ToFloat(data.Images), null));   // [N, q]
            return z;
        }
        var zTrain = Projections(train);                                                          // [32, q]
        var zTest = Projections(test);                                                            // [32, q]
        Assert.Equal(head == ProjectionHeadKind.None ? model.RepresentationSize : cfg.ProjectionDim, zTrain.shape[1]);
        foreach (var label in Labels)
        {
            var (_, expected) = new LogisticRegressionProbe().FitAndScore(zTrain, train.Labels[label], zTest, test.Labels[label], train.NumClasses(label));
            Assert.Equal(expected, last[OfflineProbeCurve.Key(OfflineProbeCurve.ProjectionLayer, label)]);
        }
        bool[] same = Labels.Select(l => last[OfflineProbeCurve.Key(OfflineProbeCurve.EncoderLayer, l)] == last[OfflineProbeCurve.Key(OfflineProbeCurve.ProjectionLayer, l)]).ToArray();
        if (head == ProjectionHeadKind.None) Assert.All(same, Assert.True);   // the projection is the representation
        else Assert.Contains(false, same);                    // the two layers are told apart: a mixed-up layer would fail above
    }

    [Fact]
    public void InterruptedAndResumedRunKeepsTheCurveExactly()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TrainSplit();
        using var test = TestSplit();
        var cfg = Config(offlineEvery: 2, epochs: 3);
        const int stepsPerEpoch = TrainImages / BatchSize;

        var reference = new ContrastiveTrainer(cfg, train, test, tmp.Sub("reference")).Run();
        using (reference.Input) using (reference.Model) using (reference.Probes) { }

        // Stop half-way through epoch 3: epoch 2's offline values come back from the checkpoint, epoch 3's are measured after the resume.
        var dir = tmp.Sub("interrupted");
        using var cts = new CancellationTokenSource();
        var hook = new CancelAt($"step:{2 * stepsPerEpoch + 2}", cts);
        var stop = Assert.Throws<TrainingInterruptedException>(() => new ContrastiveTrainer(cfg, train, test, dir, faults: hook).Run(ct: cts.Token));
        Assert.Equal(2 * stepsPerEpoch + 2, stop.Step);
        var log = new StringWriter();
        var resumed = new ContrastiveTrainer(cfg, train, test, dir, log: log).Run(resume: true);
        using (resumed.Input) using (resumed.Model) using (resumed.Probes) { }
        Assert.Contains("resumed in epoch 3 after step 2", log.ToString());

        Assert.Equal(4, reference.History[1].OfflineTestAccuracy.Count);
        Assert.Equal(Measured(reference.History), Measured(resumed.History));
        // metrics.csv, rewritten by the resumed run from the checkpoint's history, holds the same curve.
        Assert.Equal(OfflineColumns(Path.Combine(tmp.Path, "reference", "metrics.csv")), OfflineColumns(Path.Combine(dir, "metrics.csv")));
    }

    // The offline_test_* columns of a metrics.csv, header included.
    private static List<string> OfflineColumns(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => header[i].StartsWith("offline_test_", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * Labels.Length, keep.Count);
        return lines.Select(l => string.Join(",", keep.Select(i => l.Split(',')[i]))).ToList();
    }

    [Fact]
    public void CurveIsMeasuredAtEveryNthAndTheLastEpochOnly()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TrainSplit();
        using var test = TestSplit();
        // Online evaluation only at the end, so epochs 2 and 4 run the offline probes alone.
        var cfg = Config(offlineEvery: 2, epochs: 5, evalEvery: 5);
        var outcome = new ContrastiveTrainer(cfg, train, test, tmp.Sub("run")).Run();
        using (outcome.Input) using (outcome.Model) using (outcome.Probes) { }
        var expectedKeys = OfflineProbeCurve.Layers.SelectMany(layer => Labels.Select(l => $"{layer}/{l}")).Order(StringComparer.Ordinal).ToList();
        int[] due = [2, 4, 5];
        foreach (var h in outcome.History)
        {
            if (due.Contains(h.Epoch))
            {
                Assert.Equal(expectedKeys, h.OfflineTestAccuracy.Keys.Order(StringComparer.Ordinal).ToList());
                Assert.All(h.OfflineTestAccuracy.Values, a => Assert.InRange(a, 0.0, 1.0));
            }
            else Assert.Empty(h.OfflineTestAccuracy);
            Assert.Equal(h.Epoch == 5, h.OnlineTestAccuracy.Count > 0);
        }

        // metrics.csv: NaN where not measured, the history's values (round-trip) where measured.
        var lines = File.ReadAllLines(Path.Combine(tmp.Path, "run", "metrics.csv"));
        var header = lines[0].Split(',');
        foreach (var layer in OfflineProbeCurve.Layers)
        foreach (var label in Labels)
        {
            int col = Array.IndexOf(header, $"offline_test_{layer}_{label}");
            Assert.True(col >= 0, $"metrics.csv has no offline_test_{layer}_{label} column");
            var cells = lines.Skip(1).Select(l => double.Parse(l.Split(',')[col], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var expected = outcome.History.Select(h => h.OfflineTestAccuracy.TryGetValue($"{layer}/{label}", out var a) ? a : double.NaN).ToArray();
            Assert.Equal(expected, cells);

            // The suite's accessor gives the same per-epoch curve.
            var summary = new RealRunSummary("t", cfg.Seed, cfg, outcome.History, new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0);
            Assert.Equal(expected, summary.OfflineCurve(layer, label));
        }
    }

    [Fact]
    public void WithoutTheOptionMetricsCsvHasNoOfflineColumns()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var train = TrainSplit();
        using var test = TestSplit();
        var outcome = new ContrastiveTrainer(Config(offlineEvery: 0, epochs: 1), train, test, tmp.Sub("run")).Run();
        using (outcome.Input) using (outcome.Model) using (outcome.Probes) { }
        Assert.DoesNotContain("offline_test_", File.ReadAllLines(Path.Combine(tmp.Path, "run", "metrics.csv"))[0]);
        Assert.DoesNotContain("offlineProbeEvery", File.ReadAllText(Path.Combine(tmp.Path, "run", "config.json")));
    }
}
