namespace WhichFeatures.Training;

/// <summary>
/// Training was cancelled (Ctrl-C / SIGINT / SIGTERM): the step in progress was finished and a checkpoint
/// written, so <c>--resume</c> continues exactly where the run stopped.
/// </summary>
public sealed class TrainingInterruptedException(int epoch, int stepInEpoch, long step, string? checkpoint)
    : OperationCanceledException(
        $"interrupted in epoch {epoch} after step {stepInEpoch} of the epoch (global step {step}); " +
        (checkpoint is null ? "no checkpoint had been written yet, so a resumed run starts from the beginning." : $"checkpoint written: {checkpoint}."))
{
    /// <summary>1-based epoch that was in progress.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>Steps of that epoch already done (0 = the epoch had not started).</summary>
    public int StepInEpoch { get; } = stepInEpoch;
    /// <summary>Global optimiser steps done.</summary>
    public long Step { get; } = step;
    /// <summary>The checkpoint a resumed run will start from, or null when none exists.</summary>
    public string? Checkpoint { get; } = checkpoint;
}
