using WhichFeatures.Core;

namespace WhichFeatures.Tests;

/// <summary>A progress sink for tests: records every task started and every increment, in order.</summary>
public sealed class RecordingProgress : IRunProgress, IProgressTask
{
    /// <summary>Each task's name and total, in the order started.</summary>
    public List<(string Name, double Total)> Tasks { get; } = [];
    /// <summary>Each increment and its status, in order (all tasks share this list).</summary>
    public List<(double By, string? Status)> Steps { get; } = [];
    /// <summary>The sum of all increments.</summary>
    public double Advanced => Steps.Sum(s => s.By);

    /// <inheritdoc />
    public IProgressTask Start(string name, double total) { Tasks.Add((name, total)); return this; }
    /// <inheritdoc />
    public void Increment(double by = 1, string? status = null) => Steps.Add((by, status));
    /// <inheritdoc />
    public void Dispose() { }
}
