using System.Globalization;
using WhichFeatures.Core;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Progress over a whole local sweep (<c>reproduce</c>): one task for the suite whose value is the work of the units
/// done so far (a real unit weighs its epochs x training images, a theory unit 1), with "k of N units done" as its
/// status, so the display's percentage and ETA are over the suite; and one task per unit a worker process runs
/// ("worker 1: unit k of N: id"), read from the worker's output lines (<see cref="UnitProgressLine"/>). This
/// process's own units show under their own tasks (<see cref="SweepRunner.Run"/>). Thread-safe: worker lines arrive
/// on their own threads.
/// </summary>
public sealed class SuiteProgress : IDisposable
{
    /// <summary>The weight of a real unit that trains on all its training images (<see cref="Training.TrainConfig.TrainSize"/> 0): a CIFAR-sized split.</summary>
    public const int FullTrainingSplit = 50_000;

    private readonly IRunProgress _progress;
    private readonly string _sweepDir;
    private readonly IReadOnlyList<SweepUnit> _units;
    private readonly HashSet<int> _done = [];
    private readonly Dictionary<int, IProgressTask> _workerUnits = [];
    private readonly IProgressTask _suite;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Starts the suite's task for <paramref name="units"/> in <paramref name="sweepDir"/>; units already done there count as done.</summary>
    public SuiteProgress(IRunProgress progress, string sweepDir, IReadOnlyList<SweepUnit> units, bool smokeRun)
    {
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        _sweepDir = sweepDir;
        _units = units;
        foreach (var u in units.Where(IsDone)) _done.Add(u.Index);
        double left = units.Where(u => !_done.Contains(u.Index)).Sum(Weight);
        _suite = progress.Start(string.Create(CultureInfo.InvariantCulture, $"suite{(smokeRun ? " (smoke run)" : "")}, {units.Count} units"), Math.Max(left, 1));
    }

    /// <summary>How much work <paramref name="unit"/> is, relative to the suite's other units.</summary>
    public static double Weight(SweepUnit unit) => unit.Work switch
    {
        RealUnitWork r => (double)r.Run.Config.Epochs * (r.Run.Config.TrainSize > 0 ? r.Run.Config.TrainSize : FullTrainingSplit),
        _ => 1,
    };

    /// <summary>A unit this process ran has ended (<see cref="SweepRunner.RunAll"/>'s callback).</summary>
    public void UnitFinished(UnitRun run)
    {
        if (run.Outcome == UnitOutcome.Done) Count(run.Unit);
    }

    /// <summary>A line of worker <paramref name="worker"/>'s output: its units start and end here too.</summary>
    public void WorkerLine(int worker, string line)
    {
        if (!UnitProgressLine.TryParse(line, out int index, out bool started) || index < 0 || index >= _units.Count) return;
        var unit = _units[index];
        lock (_gate)
        {
            if (_disposed) return;
            if (started)
            {
                _workerUnits[index] = _progress.Start(string.Create(CultureInfo.InvariantCulture, $"worker {worker}: {UnitProgressLine.TaskName(unit, _units.Count)}"), 1);
                return;
            }
            if (_workerUnits.Remove(index, out var task))
            {
                if (IsDone(unit)) task.Increment();
                task.Dispose();
            }
        }
        // Its result.json is written before its task ends: a unit that ended without one failed.
        if (IsDone(unit)) Count(unit);
    }

    private void Count(SweepUnit unit)
    {
        lock (_gate)
        {
            if (_disposed || !_done.Add(unit.Index)) return;
            _suite.Increment(Weight(unit), string.Create(CultureInfo.InvariantCulture, $"{_done.Count} of {_units.Count} units done"));
        }
    }

    private bool IsDone(SweepUnit unit) => File.Exists(Path.Combine(unit.FolderIn(_sweepDir), SweepRunner.ResultFile));

    /// <summary>Ends the suite's task and any worker unit still shown.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var t in _workerUnits.Values) t.Dispose();
            _workerUnits.Clear();
            _suite.Dispose();
        }
    }
}
