namespace WhichFeatures.Core;

/// <summary>
/// Where long work reports progress. The CLI renders it as Spectre.Console bars on a terminal and as plain
/// lines otherwise; library code and tests use <see cref="NullProgress"/>.
/// </summary>
public interface IRunProgress
{
    /// <summary>Starts a task of <paramref name="total"/> units (e.g. steps, seeds x steps).</summary>
    IProgressTask Start(string name, double total);
}

/// <summary>One task's progress; dispose it when done.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Advances by <paramref name="by"/> units, optionally with a short status (loss, accuracy).</summary>
    void Increment(double by = 1, string? status = null);
}

/// <summary>Reports nothing.</summary>
public sealed class NullProgress : IRunProgress, IProgressTask
{
    /// <summary>The shared instance.</summary>
    public static readonly NullProgress Instance = new();
    /// <inheritdoc />
    public IProgressTask Start(string name, double total) => this;
    /// <inheritdoc />
    public void Increment(double by = 1, string? status = null) { }
    /// <inheritdoc />
    public void Dispose() { }
}
