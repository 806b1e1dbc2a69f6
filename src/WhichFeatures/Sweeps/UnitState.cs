namespace WhichFeatures.Sweeps;

/// <summary>Where a unit stands.</summary>
public enum UnitStatus
{
    /// <summary>Not started, or stopped (interrupted, preempted) and waiting to resume.</summary>
    Pending,
    /// <summary>A process holds the unit's lock.</summary>
    Running,
    /// <summary>The last attempt failed; <see cref="UnitState.Error"/> says why.</summary>
    Failed,
    /// <summary>result.json is written.</summary>
    Done,
}

/// <summary>A unit and where it stands.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Status">Its status.</param>
/// <param name="Error">The one-line error of a failed unit.</param>
public sealed record UnitState(SweepUnit Unit, UnitStatus Status, string? Error);
