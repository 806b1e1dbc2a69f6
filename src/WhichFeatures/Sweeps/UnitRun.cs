namespace WhichFeatures.Sweeps;

/// <summary>What happened when a process was asked to run a unit.</summary>
public enum UnitOutcome
{
    /// <summary>Ran to the end now; result.json is written.</summary>
    Done,
    /// <summary>It was done before; nothing ran.</summary>
    AlreadyDone,
    /// <summary>Another process holds its lock; this one left it alone.</summary>
    Busy,
    /// <summary>It failed; error.txt holds the one-line error.</summary>
    Failed,
}

/// <summary>The outcome of one attempt at a unit.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Error">The failure, when <see cref="Outcome"/> is <see cref="UnitOutcome.Failed"/>.</param>
/// <param name="Cost">What the run cost, when <see cref="Outcome"/> is <see cref="UnitOutcome.Done"/>.</param>
public sealed record UnitRun(SweepUnit Unit, UnitOutcome Outcome, Exception? Error = null, UnitCost? Cost = null);
