namespace WhichFeatures.Training;

/// <summary>
/// Learning rate per optimiser step: linear warm-up from ~0 to the base rate over <see cref="WarmupSteps"/>,
/// then cosine decay to <see cref="FinalFraction"/> x base at <see cref="TotalSteps"/> (SimCLR/SupCon practice).
/// </summary>
public sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule; steps are counted from 0.</summary>
    public WarmupCosineSchedule(double baseRate, long totalSteps, long warmupSteps, double finalFraction = 0.0)
    {
        if (!(baseRate > 0)) throw new ArgumentOutOfRangeException(nameof(baseRate), $"learning rate must be > 0, got {baseRate}");
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), $"total steps must be >= 1, got {totalSteps}");
        if (warmupSteps < 0 || warmupSteps > totalSteps) throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"warm-up steps must be in [0, {totalSteps}], got {warmupSteps}");
        BaseRate = baseRate; TotalSteps = totalSteps; WarmupSteps = warmupSteps; FinalFraction = finalFraction;
    }

    /// <summary>Peak learning rate.</summary>
    public double BaseRate { get; }
    /// <summary>Steps in the whole run.</summary>
    public long TotalSteps { get; }
    /// <summary>Warm-up steps.</summary>
    public long WarmupSteps { get; }
    /// <summary>Final rate as a fraction of the base rate.</summary>
    public double FinalFraction { get; }

    /// <summary>The rate to use for step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return BaseRate * (step + 1) / WarmupSteps;
        long decay = TotalSteps - WarmupSteps;
        double t = decay <= 1 ? 1 : Math.Clamp((double)(step - WarmupSteps) / (decay - 1), 0, 1);
        double min = BaseRate * FinalFraction;
        return min + (BaseRate - min) * 0.5 * (1 + Math.Cos(Math.PI * t));
    }
}
