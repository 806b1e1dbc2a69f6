namespace WhichFeatures.Training;

/// <summary>The loss became NaN or infinite; the run stops and the last good checkpoint is kept.</summary>
public sealed class NonFiniteLossException(int epoch, long step, double loss, string? lastCheckpoint)
    : Exception($"the loss became {loss} at epoch {epoch}, step {step}; training stopped. " +
                (lastCheckpoint is null ? "No checkpoint had been written yet." : $"The last good checkpoint is {lastCheckpoint}.") +
                " Try a smaller --lr or a longer --warmup-epochs.")
{
    /// <summary>1-based epoch in which it happened.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>Global optimiser step at which it happened.</summary>
    public long Step { get; } = step;
}
