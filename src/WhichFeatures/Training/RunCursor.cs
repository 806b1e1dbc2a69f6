using System.Diagnostics;
using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// Where a training run stands, and the checkpoints that record it: completed epochs, the global step, the step
/// within the current epoch, the epoch's shuffle order and augmentation generator, the partial loss sum, the last
/// learning rate and the per-epoch history. Opening a cursor starts a run or resumes it from the newest good
/// checkpoint; a checkpoint after each epoch and, on cancellation, a mid-epoch one (step within the epoch,
/// augmentation generator state, partial loss sum) make a resumed run repeat the uninterrupted one exactly on CPU.
/// </summary>
/// <remarks>
/// Shuffling and augmentation draw from generators seeded by (seed, epoch) (<see cref="Seeds"/>), so an
/// epoch's permutation can be re-drawn after a resume; the augmentation generator's state is saved because it has
/// advanced. Memory: a <c>GC.Collect</c> every <see cref="CollectEvery"/> steps and after each epoch, because tiny
/// managed tensor wrappers pin native memory and RSS would otherwise grow.
/// </remarks>
public sealed class RunCursor : IDisposable
{
    /// <summary>Steps between forced garbage collections.</summary>
    public const int CollectEvery = 50;

    private readonly string _runDir;
    private readonly string _configJson;
    private readonly int _seed, _stepsPerEpoch, _batchSize;
    private readonly long _trainCount;
    private readonly nn.Module _state;
    private readonly IReadOnlyList<optim.Optimizer> _optimizers;
    private readonly TextWriter _log;
    private readonly IFaultHook _faults;
    private readonly List<EpochMetrics> _history = [];
    private int _resumedStepInEpoch;
    private byte[]? _resumedAugmentState;
    private double _resumedLossSum, _resumedLearningRate;
    private Generator? _augment;
    private Tensor? _permutation;
    private Stopwatch _clock = new();
    private int _stepsSinceCheckpoint;
    private readonly bool _offlineProbes;   // metrics.csv gets the offline probe columns

    private RunCursor(string runDir, string configJson, TrainConfig cfg, long trainCount, int stepsPerEpoch, nn.Module state,
        IReadOnlyList<optim.Optimizer> optimizers, TextWriter log, IFaultHook faults)
    {
        _runDir = runDir;
        _configJson = configJson;
        _seed = cfg.Seed;
        _batchSize = cfg.BatchSize;
        _offlineProbes = cfg.OfflineProbeEvery > 0;
        _stepsPerEpoch = stepsPerEpoch;
        _trainCount = trainCount;
        _state = state;
        _optimizers = optimizers;
        _log = log;
        _faults = faults;
    }

    /// <summary>Completed epochs (at opening: those the checkpoint holds).</summary>
    public int CompletedEpochs { get; private set; }
    /// <summary>The epoch in progress (1-based), or <see cref="CompletedEpochs"/> between epochs.</summary>
    public int Epoch { get; private set; }
    /// <summary>Completed optimiser steps over the whole run.</summary>
    public long Step { get; private set; }
    /// <summary>Steps done in the epoch in progress.</summary>
    public int StepInEpoch { get; private set; }
    /// <summary>Sum of the losses of the steps done in the epoch in progress.</summary>
    public double EpochLossSum { get; private set; }
    /// <summary>Learning rate of the last step done.</summary>
    public double LearningRate { get; private set; }
    /// <summary>Per-epoch metrics so far.</summary>
    public IReadOnlyList<EpochMetrics> History => _history;
    /// <summary>The newest checkpoint written or resumed from, or null.</summary>
    public string? LastCheckpoint { get; private set; }
    /// <summary>The augmentation generator of the epoch in progress.</summary>
    public Generator Augment => _augment ?? throw new InvalidOperationException("no epoch in progress");
    /// <summary>Seconds since the epoch in progress began (at least 1e-9, to divide by).</summary>
    public double EpochSeconds => Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
    /// <summary>Steps left until the end of the run, for progress.</summary>
    public double StepsLeft(int epochs) => (double)_stepsPerEpoch * (epochs - CompletedEpochs) - _resumedStepInEpoch;

    /// <summary>
    /// Starts a run in <paramref name="runDir"/> (deleting an earlier run's checkpoints) or, with
    /// <paramref name="resume"/>, loads the newest good checkpoint into <paramref name="state"/> and
    /// <paramref name="optimizers"/>; then writes config.json.
    /// </summary>
    /// <exception cref="UserInputException">The folder's checkpoints were made with another configuration.</exception>
    public static RunCursor Open(string runDir, TrainConfig cfg, long trainCount, int stepsPerEpoch, bool resume, nn.Module state,
        IReadOnlyList<optim.Optimizer> optimizers, TextWriter log, IFaultHook faults)
    {
        var cursor = new RunCursor(runDir, RunJson.Serialize(cfg), cfg, trainCount, stepsPerEpoch, state, optimizers, log, faults);
        if (resume) cursor.Resume();
        else
        {
            // A new run in a used folder (--force): an old run's checkpoints would outrank ours when pruning and resuming.
            int old = Checkpoint.DeleteAll(runDir);
            if (old > 0) log.WriteLine($"removed {old} checkpoint(s) of an earlier run in {runDir}.");
        }
        // Only now: a refused --resume (other options) must leave the folder's config.json describing its checkpoints.
        AtomicFile.WriteAllText(Path.Combine(runDir, "config.json"), cursor._configJson);
        return cursor;
    }

    private void Resume()
    {
        int stale = Checkpoint.RemoveStaleTemporaries(_runDir);
        if (stale > 0) _log.WriteLine($"removed {stale} half-written checkpoint file(s) left by an interrupted run.");
        var header = Checkpoint.LoadLatest(_runDir, _state, _optimizers, w => _log.WriteLine("warning: " + w));
        if (header is null)
        {
            _log.WriteLine($"--resume: no checkpoint in {_runDir} yet; starting from the beginning.");
            return;
        }
        if (header.ConfigJson != _configJson)
            throw new UserInputException($"--resume {_runDir}: the run folder was trained with a different configuration; use the same options (see config.json) or another --out.");
        CompletedEpochs = Epoch = header.Epoch;
        Step = header.Step;
        _resumedStepInEpoch = header.StepInEpoch;
        _resumedLossSum = header.EpochLossSum;
        _resumedLearningRate = header.LearningRate;
        _resumedAugmentState = header.AugmentGeneratorState is null ? null : Convert.FromBase64String(header.AugmentGeneratorState);
        if (_resumedStepInEpoch > 0 && (_resumedAugmentState is null || _resumedStepInEpoch > _stepsPerEpoch))
            throw new CheckpointFormatException($"{Checkpoint.FileName(header)}: a mid-epoch checkpoint without a usable augmentation state (step {_resumedStepInEpoch} of {_stepsPerEpoch}).");
        _history.AddRange(JsonSerializer.Deserialize<List<EpochMetrics>>(header.HistoryJson, RunJson.Options) ?? []);
        LastCheckpoint = Path.Combine(_runDir, Checkpoint.FileName(header));
        _log.WriteLine(_resumedStepInEpoch == 0
            ? $"resumed from epoch {header.Epoch} (step {header.Step})."
            : $"resumed in epoch {header.Epoch + 1} after step {_resumedStepInEpoch} of the epoch (global step {header.Step}).");
    }

    /// <summary>
    /// Starts epoch <paramref name="epoch"/>: its shuffle order and augmentation stream are drawn from
    /// (seed, epoch), or continue where a mid-epoch checkpoint stopped. Returns the first step to run.
    /// </summary>
    public int BeginEpoch(int epoch)
    {
        DisposeEpoch();
        _clock = Stopwatch.StartNew();
        Epoch = epoch;
        using var shuffle = new Generator(Seeds.EpochShuffle(_seed, epoch));
        _augment = new Generator(Seeds.EpochAugmentation(_seed, epoch));
        _permutation = randperm(_trainCount, generator: shuffle);      // [N]
        StepInEpoch = 0;
        EpochLossSum = 0;
        LearningRate = 0;
        if (epoch == CompletedEpochs + 1 && _resumedStepInEpoch > 0)
        {
            // Mid-epoch checkpoint: same permutation (re-drawn from the seed), augmentation stream where it stopped.
            using var augmentState = tensor(_resumedAugmentState!, dtype: ScalarType.Byte);
            _augment.set_state(augmentState);
            StepInEpoch = _resumedStepInEpoch;
            EpochLossSum = _resumedLossSum;
            LearningRate = _resumedLearningRate;
            _resumedStepInEpoch = 0;
        }
        return StepInEpoch;
    }

    /// <summary>Indices of batch <paramref name="b"/> of the epoch in progress, [B].</summary>
    public Tensor Batch(int b) =>
        (_permutation ?? throw new InvalidOperationException("no epoch in progress")).narrow(0, (long)b * _batchSize, _batchSize);

    /// <summary>
    /// On cancellation (Ctrl-C, checked before each step, so the previous step is finished): writes a mid-epoch
    /// checkpoint exactly here unless nothing happened since the last one, then throws
    /// <see cref="TrainingInterruptedException"/>.
    /// </summary>
    public void CheckpointAndStopIfCancelled(CancellationToken ct)
    {
        if (!ct.IsCancellationRequested) return;
        if (_stepsSinceCheckpoint > 0)
        {
            using var augmentState = Augment.get_state();
            Save(new Checkpoint.Header(_configJson, Epoch - 1, Step, HistoryJson(), DateTime.UtcNow)
            {
                StepInEpoch = StepInEpoch, AugmentGeneratorState = Convert.ToBase64String(augmentState.data<byte>().ToArray()),
                EpochLossSum = EpochLossSum, LearningRate = LearningRate,
            });
        }
        throw new TrainingInterruptedException(Epoch, StepInEpoch, Step, LastCheckpoint);
    }

    /// <summary>Throws <see cref="NonFiniteLossException"/> (naming the last good checkpoint) unless <paramref name="loss"/> is finite.</summary>
    public double EnsureFinite(double loss) =>
        double.IsFinite(loss) ? loss : throw new NonFiniteLossException(Epoch, Step + 1, loss, LastCheckpoint);

    /// <summary>Records a finished optimiser step; then the fault point <c>step:N</c> is reached.</summary>
    public void StepDone(double loss, double learningRate, CancellationToken ct)
    {
        Step++;
        StepInEpoch++;
        _stepsSinceCheckpoint++;
        EpochLossSum += loss;
        LearningRate = learningRate;
        if (Step % CollectEvery == 0) GC.Collect();
        _faults.Reached($"step:{Step}", ct);
    }

    /// <summary>The epoch's own numbers: mean loss, last learning rate, time, throughput, memory.</summary>
    public EpochMetrics EpochMetrics()
    {
        double seconds = _clock.Elapsed.TotalSeconds;   // the raw time goes into the metrics
        return new EpochMetrics
        {
            Epoch = Epoch, Step = Step, Loss = EpochLossSum / Math.Max(1, _stepsPerEpoch), LearningRate = LearningRate, Seconds = seconds,
            ImagesPerSecond = _stepsPerEpoch * _batchSize / Math.Max(seconds, 1e-9), RssMegabytes = ProcessMemory.RssMegabytes(),
        };
    }

    /// <summary>Ends the epoch: appends <paramref name="metrics"/> to the history, checkpoints, rewrites metrics.csv, logs a line.</summary>
    public void EndEpoch(EpochMetrics metrics, IReadOnlyList<string> probeLabels)
    {
        _history.Add(metrics);
        CompletedEpochs = Epoch;
        Save(new Checkpoint.Header(_configJson, Epoch, Step, HistoryJson(), DateTime.UtcNow));
        MetricsCsv.Write(Path.Combine(_runDir, "metrics.csv"), _history, probeLabels, _offlineProbes);
        _log.WriteLine(MetricsCsv.Describe(metrics));
        DisposeEpoch();
        GC.Collect();
    }

    private void Save(Checkpoint.Header header)
    {
        LastCheckpoint = Checkpoint.Save(_runDir, header, _state, _optimizers, faults: _faults);
        _stepsSinceCheckpoint = 0;
    }

    private string HistoryJson() => JsonSerializer.Serialize(_history, RunJson.Options);

    private void DisposeEpoch()
    {
        _augment?.Dispose();
        _augment = null;
        _permutation?.Dispose();
        _permutation = null;
    }

    /// <summary>Releases the epoch's generator and permutation.</summary>
    public void Dispose() => DisposeEpoch();
}
