using System.Diagnostics;
using System.Text.Json;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// The training loop for SimCLR (UCL), SupCon (SCL) and the joint loss, in one readable method (nanoGPT style).
/// Per step: two augmented views per image, the contrastive loss on the projections, the online probes on the
/// detached representations. Per epoch: test-split probe accuracies and kNN, metrics.csv, an atomic checkpoint.
/// Shuffling and augmentation draw from generators seeded by (seed, epoch), so a run resumed from an epoch's
/// checkpoint repeats the uninterrupted run exactly on CPU. On cancellation (Ctrl-C) the step in progress is
/// finished and a mid-epoch checkpoint (step within the epoch, augmentation generator state, partial loss sum)
/// is written, so resuming from it is exact too; then <see cref="TrainingInterruptedException"/> is thrown.
/// </summary>
public sealed class ContrastiveTrainer
{
    private readonly TrainConfig _cfg;
    private readonly ImageDataset _train, _test;
    private readonly string _runDir;
    private readonly IRunProgress _progress;
    private readonly TextWriter _log;

    /// <summary>Prepares a run; nothing is trained until <see cref="Run"/>.</summary>
    public ContrastiveTrainer(TrainConfig config, ImageDataset train, ImageDataset test, string runDir, IRunProgress? progress = null, TextWriter? log = null)
    {
        _cfg = config.Validate();
        _train = train;
        _test = test;
        _runDir = runDir;
        _progress = progress ?? NullProgress.Instance;
        _log = log ?? TextWriter.Null;
        if (train.Count < config.BatchSize)
            throw new UserInputException($"--batch-size {config.BatchSize}: larger than the training set ({train.Count} examples); lower it or raise --train-size.");
        if (config.Loss != ContrastiveLossKind.Ucl && !train.Labels.ContainsKey(LabelKeys.Class))
            throw new UserInputException($"--loss {config.Loss.ToString().ToLowerInvariant()} needs class labels, and dataset {train.Name} has none.");
    }

    /// <summary>Trains (or resumes) and returns the per-epoch metrics and the final model.</summary>
    public TrainOutcome Run(bool resume = false, CancellationToken ct = default)
    {
        var cfg = _cfg;
        if (cfg.Threads > 0) set_num_threads(cfg.Threads);
        var device = TorchDevice.Parse(cfg.Device);
        var configJson = RunJson.Serialize(cfg);

        var (state, input) = TrainingState.Create(cfg, _train, device);   // input is owned by the returned TrainOutcome
        var model = state.model;
        var probes = state.probes;
        optim.Optimizer opt = cfg.Optimizer == "adam"
            ? optim.Adam(model.parameters(), cfg.LearningRate, weight_decay: cfg.WeightDecay)
            : optim.SGD(model.parameters(), cfg.LearningRate, momentum: cfg.Momentum, weight_decay: cfg.WeightDecay);
        var probeOpt = optim.Adam(probes.parameters(), cfg.OnlineProbeLearningRate);

        int stepsPerEpoch = (int)(_train.Count / cfg.BatchSize);   // drop the last partial batch: equal-size batches
        var schedule = new WarmupCosineSchedule(cfg.LearningRate, (long)stepsPerEpoch * cfg.Epochs, (long)stepsPerEpoch * cfg.WarmupEpochs);
        var history = new List<EpochMetrics>();
        int startEpoch = 0, startStepInEpoch = 0;
        long step = 0;
        double resumedLossSum = 0, resumedLr = 0;
        byte[]? resumedAugmentState = null;
        string? lastCheckpoint = null;
        if (!resume)
        {
            // A new run in a used folder (--force): an old run's checkpoints would outrank ours when pruning and resuming.
            int old = Checkpoint.DeleteAll(_runDir);
            if (old > 0) _log.WriteLine($"removed {old} checkpoint(s) of an earlier run in {_runDir}.");
        }
        else
        {
            int stale = Checkpoint.RemoveStaleTemporaries(_runDir);
            if (stale > 0) _log.WriteLine($"removed {stale} half-written checkpoint file(s) left by an interrupted run.");
            var header = Checkpoint.LoadLatest(_runDir, state, [opt, probeOpt], w => _log.WriteLine("warning: " + w));
            if (header is not null)
            {
                if (header.ConfigJson != configJson)
                    throw new UserInputException($"--resume {_runDir}: the run folder was trained with a different configuration; use the same options (see config.json) or another --out.");
                startEpoch = header.Epoch;
                startStepInEpoch = header.StepInEpoch;
                step = header.Step;
                resumedLossSum = header.EpochLossSum;
                resumedLr = header.LearningRate;
                resumedAugmentState = header.AugmentGeneratorState is null ? null : Convert.FromBase64String(header.AugmentGeneratorState);
                if (startStepInEpoch > 0 && (resumedAugmentState is null || startStepInEpoch > stepsPerEpoch))
                    throw new CheckpointFormatException($"{Checkpoint.FileName(header)}: a mid-epoch checkpoint without a usable augmentation state (step {startStepInEpoch} of {stepsPerEpoch}).");
                history = JsonSerializer.Deserialize<List<EpochMetrics>>(header.HistoryJson, RunJson.Options) ?? [];
                lastCheckpoint = Path.Combine(_runDir, Checkpoint.FileName(header));
                _log.WriteLine(startStepInEpoch == 0
                    ? $"resumed from epoch {header.Epoch} (step {header.Step})."
                    : $"resumed in epoch {header.Epoch + 1} after step {startStepInEpoch} of the epoch (global step {header.Step}).");
            }
            else _log.WriteLine($"--resume: no checkpoint in {_runDir} yet; starting from the beginning.");
        }

        // Only now: a refused --resume (other options) must leave the folder's config.json describing its checkpoints.
        AtomicFile.WriteAllText(Path.Combine(_runDir, "config.json"), configJson);

        var pipeline = AugmentationPipeline.FromPreset(cfg.Augment);
        var classLabels = _train.Labels.TryGetValue(LabelKeys.Class, out var cl) ? cl : null;
        using var task = _progress.Start($"train {cfg.Loss.ToString().ToUpperInvariant()} {cfg.Model}", (double)stepsPerEpoch * (cfg.Epochs - startEpoch) - startStepInEpoch);
        int stepsSinceCheckpoint = 0;
        for (int epoch = startEpoch + 1; epoch <= cfg.Epochs; epoch++)
        {
            model.train();
            probes.train();
            var clock = Stopwatch.StartNew();
            using var shuffle = new Generator((ulong)(cfg.Seed * 1_000_003L + epoch));
            using var augment = new Generator((ulong)(cfg.Seed * 1_000_003L + epoch + 500_009L));
            using var perm = randperm(_train.Count, generator: shuffle);                         // [N]
            double lossSum = 0, lr = 0;
            int firstStep = 0;
            if (epoch == startEpoch + 1 && startStepInEpoch > 0)
            {
                // Mid-epoch checkpoint: same permutation (re-drawn from the seed), augmentation stream where it stopped.
                using var augmentState = tensor(resumedAugmentState!, dtype: ScalarType.Byte);
                augment.set_state(augmentState);
                firstStep = startStepInEpoch;
                lossSum = resumedLossSum;
                lr = resumedLr;
            }
            for (int b = firstStep; b < stepsPerEpoch; b++)
            {
                if (ct.IsCancellationRequested)
                {
                    // Ctrl-C: the previous step is finished; save exactly here so that --resume repeats the uninterrupted run.
                    if (stepsSinceCheckpoint > 0)
                    {
                        using var augmentState = augment.get_state();
                        var header = new Checkpoint.Header(configJson, epoch - 1, step, JsonSerializer.Serialize(history, RunJson.Options), DateTime.UtcNow)
                        {
                            StepInEpoch = b, AugmentGeneratorState = Convert.ToBase64String(augmentState.data<byte>().ToArray()),
                            EpochLossSum = lossSum, LearningRate = lr,
                        };
                        lastCheckpoint = Checkpoint.Save(_runDir, header, state, [opt, probeOpt]);
                    }
                    throw new TrainingInterruptedException(epoch, b, step, lastCheckpoint);
                }
                using var scope = NewDisposeScope();
                var idx = perm.narrow(0, (long)b * cfg.BatchSize, cfg.BatchSize);                // [B]
                var images = _train.Images.index_select(0, idx).to(device);                      // uint8 [B, C, H, W]
                var (v1, v2) = pipeline.TwoViews(images, augment);                               // float [B, C, H, W] each
                var extra = _train.ExtraChannels?.index_select(0, idx);                          // [B, k] or null
                var x = cat([input.Prepare(v1, extra), input.Prepare(v2, extra)], 0);            // [2B, C + k, H, W]
                if (input.ChannelsLast) x = ChannelsLast.Of(x);                                  // NHWC for the NHWC convolutions (no copy if cat kept it)
                var (h, z) = model.forward(x);                                                   // [2B, p], [2B, q]
                var z1 = z.narrow(0, 0, cfg.BatchSize);                                          // [B, q]
                var z2 = z.narrow(0, cfg.BatchSize, cfg.BatchSize);                              // [B, q]
                var y = classLabels?.index_select(0, idx).to(device);                            // [B]
                var loss = InfoNceLoss.Compute(cfg.Loss, z1, z2, y, cfg.Beta, cfg.Temperature);
                double lossValue = loss.ToDouble();
                if (!double.IsFinite(lossValue))
                    throw new NonFiniteLossException(epoch, step + 1, lossValue, lastCheckpoint);
                var probeLabels = _train.Labels.ToDictionary(kv => kv.Key, kv =>
                {
                    var l = kv.Value.index_select(0, idx).to(device);                            // [B]
                    return cat([l, l], 0);                                                       // [2B]
                });
                var probeLoss = probes.Loss(h, probeLabels);                                     // h is detached inside
                opt.zero_grad();
                probeOpt.zero_grad();
                (loss + probeLoss).backward();
                lr = schedule.At(step);
                foreach (var g in opt.ParamGroups) g.LearningRate = lr;
                opt.step();
                probeOpt.step();
                step++;
                stepsSinceCheckpoint++;
                lossSum += lossValue;
                if (step % 50 == 0) GC.Collect();   // tiny managed wrappers pin native memory; keep RSS flat
                task.Increment(1, $"epoch {epoch}/{cfg.Epochs} loss {lossSum / (b + 1):0.0000} (epoch mean so far) {(b + 1 - firstStep) * cfg.BatchSize / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0} img/s");
                FaultInjection.CrashIf($"step:{step}");
                FaultInjection.PauseIf($"step:{step}", _runDir, ct);
            }
            double seconds = clock.Elapsed.TotalSeconds;

            var metrics = new EpochMetrics
            {
                Epoch = epoch, Step = step, Loss = lossSum / Math.Max(1, stepsPerEpoch), LearningRate = lr, Seconds = seconds,
                ImagesPerSecond = stepsPerEpoch * cfg.BatchSize / Math.Max(seconds, 1e-9), RssMegabytes = ProcessMemory.RssMegabytes(),
            };
            metrics = TrainingHealth.Check(metrics, cfg, model, input, _train, device, _log);
            if (epoch % cfg.EvalEvery == 0 || epoch == cfg.Epochs)
                metrics = Evaluate(model, probes, input, device, metrics);
            history.Add(metrics);
            lastCheckpoint = Checkpoint.Save(_runDir, new Checkpoint.Header(configJson, epoch, step, JsonSerializer.Serialize(history, RunJson.Options), DateTime.UtcNow), state, [opt, probeOpt]);
            stepsSinceCheckpoint = 0;
            MetricsCsv.Write(Path.Combine(_runDir, "metrics.csv"), history, probes.Labels);
            _log.WriteLine(MetricsCsv.Describe(metrics));
            GC.Collect();
        }
        return new TrainOutcome(model, input, history, device, probes);
    }

    private EpochMetrics Evaluate(ContrastiveModel model, OnlineLinearProbes probes, ModelInput input, Device device, EpochMetrics m)
    {
        using var scope = NewDisposeScope();
        var testH = FeatureExtractor.Representations(model, input, _test, device);              // [M, p]
        var testLabels = _test.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.to(device));
        probes.eval();
        var online = probes.Accuracy(testH.to(device), testLabels);
        probes.train();
        double knn = double.NaN;
        if (_train.Labels.ContainsKey(LabelKeys.Class))
        {
            var trainH = FeatureExtractor.Representations(model, input, _train, device);        // [N, p]
            knn = new KnnClassifier().Accuracy(trainH, _train.Labels[LabelKeys.Class], testH, _test.Labels[LabelKeys.Class], _train.NumClasses());
        }
        return m with { OnlineTestAccuracy = online, KnnClassAccuracy = knn };
    }
}

/// <summary>What a finished run hands back: the trained model, how to feed it, and the per-epoch metrics.</summary>
public sealed record TrainOutcome(ContrastiveModel Model, ModelInput Input, IReadOnlyList<EpochMetrics> History, Device Device, OnlineLinearProbes Probes);
