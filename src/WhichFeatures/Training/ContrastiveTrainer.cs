using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// The training loop for SimCLR (UCL), SupCon (SCL) and the joint loss, in one readable method (nanoGPT style).
/// Per step: two augmented views per image, the contrastive loss on the projections, the online probes on the
/// detached representations. Per epoch: test-split probe accuracies and kNN, and where asked the offline probe curve
/// (<see cref="OfflineProbeCurve"/>). Where the run stands and its
/// checkpoints (after each epoch; mid-epoch on Ctrl-C, then <see cref="TrainingInterruptedException"/>) belong to
/// <see cref="RunCursor"/>, so a resumed run repeats the uninterrupted one exactly on CPU.
/// </summary>
public sealed class ContrastiveTrainer
{
    private readonly TrainConfig _cfg;
    private readonly ImageDataset _train, _test;
    private readonly string _runDir;
    private readonly IRunProgress _progress;
    private readonly TextWriter _log;
    private readonly IFaultHook _faults;

    /// <summary>Prepares a run; nothing is trained until <see cref="Run"/>.</summary>
    /// <param name="config">The run's configuration (validated here).</param>
    /// <param name="train">Training split.</param>
    /// <param name="test">Test split (per-epoch online probes and kNN).</param>
    /// <param name="runDir">Where config.json, metrics.csv and checkpoints go.</param>
    /// <param name="progress">Progress display.</param>
    /// <param name="log">Log lines (resume notes, per-epoch metrics).</param>
    /// <param name="faults">Test-only fault points (<see cref="FaultInjection"/>); none by default.</param>
    public ContrastiveTrainer(TrainConfig config, ImageDataset train, ImageDataset test, string runDir, IRunProgress? progress = null, TextWriter? log = null, IFaultHook? faults = null)
    {
        _cfg = config.Validate();
        _train = train;
        _test = test;
        _runDir = runDir;
        _progress = progress ?? NullProgress.Instance;
        _log = log ?? TextWriter.Null;
        _faults = faults ?? FaultInjection.None;
        if (train.Count < config.BatchSize)
            throw new UserInputException($"--batch-size {config.BatchSize}: larger than the training set ({train.Count} examples); lower it or raise --train-size.");
    }

    /// <summary>Trains (or resumes) and returns the per-epoch metrics and the final model.</summary>
    public TrainOutcome Run(bool resume = false, CancellationToken ct = default)
    {
        var cfg = _cfg;
        if (cfg.Threads > 0) set_num_threads(cfg.Threads);
        var device = TorchDevice.Resolve(cfg.Device);
        var (state, input) = TrainingState.Create(cfg, _train, device, _log);   // input is owned by the returned TrainOutcome
        var (model, probes) = (state.model, state.probes);
        var opt = OptimizerChoices.Create(cfg, model.parameters());
        var probeOpt = optim.Adam(probes.parameters(), cfg.OnlineProbeLearningRate);
        int stepsPerEpoch = (int)(_train.Count / cfg.BatchSize);   // drop the last partial batch: equal-size batches
        var schedule = new WarmupCosineSchedule(cfg.LearningRate, (long)stepsPerEpoch * cfg.Epochs, (long)stepsPerEpoch * cfg.WarmupEpochs);
        using var cursor = RunCursor.Open(_runDir, cfg, _train.Count, stepsPerEpoch, resume, state, [opt, probeOpt], _log, _faults);
        var pipeline = AugmentationPipeline.FromPreset(cfg.Augment);
        using var task = _progress.Start($"train {cfg.Loss.ToString().ToUpperInvariant()} {cfg.Model}", cursor.StepsLeft(cfg.Epochs));

        for (int epoch = cursor.CompletedEpochs + 1; epoch <= cfg.Epochs; epoch++)
        {
            model.train();
            probes.train();
            int firstStep = cursor.BeginEpoch(epoch);
            for (int b = firstStep; b < stepsPerEpoch; b++)
            {
                cursor.CheckpointAndStopIfCancelled(ct);                                         // Ctrl-C: save exactly here, then stop
                using var scope = NewDisposeScope();
                var idx = cursor.Batch(b);                                                       // [B]
                var (v1, v2) = pipeline.TwoViews(_train.Images.index_select(0, idx).to(device), cursor.Augment);  // float [B, C, H, W] each
                var x = input.PrepareTwoViews(v1, v2, _train.ExtraChannels?.index_select(0, idx)); // [2B, C + k, H, W]
                var (h, z) = model.forward(x);                                                   // [2B, p], [2B, q]
                var loss = InfoNceLoss.Compute(cfg.Loss, z.narrow(0, 0, cfg.BatchSize), z.narrow(0, cfg.BatchSize, cfg.BatchSize),
                                               ClassLabels(idx, device), cfg.Beta, cfg.Temperature);   // z1, z2: [B, q]
                double lossValue = cursor.EnsureFinite(loss.ToDouble());
                var probeLoss = probes.Loss(h, BothViewsLabels(idx, device));                    // h is detached inside
                opt.zero_grad();
                probeOpt.zero_grad();
                (loss + probeLoss).backward();
                double lr = schedule.At(cursor.Step);
                foreach (var g in opt.ParamGroups) g.LearningRate = lr;
                opt.step();
                probeOpt.step();
                task.Increment(1, $"epoch {epoch}/{cfg.Epochs} loss {(cursor.EpochLossSum + lossValue) / (b + 1):0.0000} (epoch mean so far) {(b + 1 - firstStep) * cfg.BatchSize / cursor.EpochSeconds:0} img/s");
                cursor.StepDone(lossValue, lr, ct);
            }
            var metrics = cursor.EpochMetrics();
            metrics = TrainingHealth.Check(metrics, cfg, model, input, _train, device, _log);
            bool online = epoch % cfg.EvalEvery == 0 || epoch == cfg.Epochs;
            bool offline = OfflineProbeCurve.IsDue(cfg, epoch);
            if (online || offline)
                metrics = Evaluate(model, probes, input, device, metrics, online, offline);
            cursor.EndEpoch(metrics, probes.Labels);                                             // history, checkpoint, metrics.csv
        }
        return new TrainOutcome(model, input, cursor.History, device, probes);
    }

    private Tensor? ClassLabels(Tensor idx, Device device) =>
        _train.Labels.TryGetValue(LabelKeys.Class, out var labels) ? labels.index_select(0, idx).to(device) : null;   // [B]

    // Every label of the batch, repeated for the two views: [2B] each.
    private Dictionary<string, Tensor> BothViewsLabels(Tensor idx, Device device) =>
        _train.Labels.ToDictionary(kv => kv.Key, kv =>
        {
            var l = kv.Value.index_select(0, idx).to(device);                                    // [B]
            return cat([l, l], 0);                                                               // [2B]
        });

    // Per-epoch evaluation on the test split: the online probes' accuracy and kNN on the class label (online), and
    // fresh offline probes at the encoder and projection outputs (offline). One pass per split gives both layers.
    private EpochMetrics Evaluate(ContrastiveModel model, OnlineLinearProbes probes, ModelInput input, Device device, EpochMetrics m, bool online, bool offline)
    {
        using var scope = NewDisposeScope();
        (FeatureSet Encoder, FeatureSet? Projection) Features(ImageDataset data) => offline
            ? FeatureExtractor.ExtractWithProjection(model, input, data, device)              // [N, p], [N, q]
            : (FeatureExtractor.Extract(model, input, data, device), null);                   // [N, p]
        bool knn = online && _train.Labels.ContainsKey(LabelKeys.Class);
        var test = Features(_test);
        var train = knn || offline ? Features(_train) : default;
        if (online)
        {
            probes.eval();
            var accuracy = probes.Accuracy(test.Encoder.Features.to(device), _test.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.to(device)));
            probes.train();
            m = m with { OnlineTestAccuracy = accuracy, KnnClassAccuracy = knn ? new ProbeSuite().KnnClassAccuracy(train.Encoder, test.Encoder) : double.NaN };
        }
        if (offline)
            m = m with { OfflineTestAccuracy = OfflineProbeCurve.Measure((train.Encoder, train.Projection!), (test.Encoder, test.Projection!)) };
        return m;
    }
}

/// <summary>What a finished run hands back: the trained model, how to feed it, and the per-epoch metrics.</summary>
public sealed record TrainOutcome(ContrastiveModel Model, ModelInput Input, IReadOnlyList<EpochMetrics> History, Device Device, OnlineLinearProbes Probes);
