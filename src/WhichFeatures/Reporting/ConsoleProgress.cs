using System.Diagnostics;
using Spectre.Console;
using WhichFeatures.Core;

namespace WhichFeatures.Reporting;

/// <summary>
/// Renders <see cref="IRunProgress"/> on the console: Spectre.Console progress bars on an interactive terminal,
/// plain timestamped lines otherwise (CI logs, pipes), since Spectre prints nothing when stdout is redirected.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>True when stdout is an interactive terminal that can show live bars.</summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>Runs <paramref name="work"/> with the progress display that suits this console.</summary>
    /// <param name="work">The work, given the progress display.</param>
    /// <param name="quiet">Show nothing.</param>
    /// <param name="stopping">The run's stop signal: a task it cuts short ends with "interrupted after", not "done in".</param>
    public static T Run<T>(Func<IRunProgress, T> work, bool quiet = false, CancellationToken stopping = default)
    {
        if (quiet) return work(NullProgress.Instance);
        if (!IsInteractive) return work(new PlainProgress(Console.Out, stopping: stopping));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => { result = work(new SpectreProgress(ctx)); });
        return result;
    }

    private sealed class SpectreProgress(ProgressContext ctx) : IRunProgress
    {
        public IProgressTask Start(string name, double total) => new Task(ctx.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1e-9)), name);

        private sealed class Task(ProgressTask task, string name) : IProgressTask
        {
            public void Increment(double by = 1, string? status = null)
            {
                task.Increment(by);
                if (status is not null) task.Description = Markup.Escape($"{name}  {status}");
            }

            public void Dispose()
            {
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }
}

/// <summary>
/// Plain progress lines ("[12:00:01] name 40 %, ETA 01:30  status"), at most one per task every few seconds. A task's
/// last line is "done in 60.0 s", or "interrupted after 34.4 s at 50 %" when the run was stopped before the task's
/// work was all done (it continues on resume, so it must not read as finished).
/// </summary>
/// <param name="output">Where the lines go.</param>
/// <param name="minSecondsBetweenLines">Least time between two lines of one task.</param>
/// <param name="clock">Seconds on a monotonic clock (a stopwatch unless a test gives one).</param>
/// <param name="stopping">The run's stop signal (Ctrl-C, SIGTERM).</param>
public sealed class PlainProgress(TextWriter output, double minSecondsBetweenLines = 5, Func<double>? clock = null, CancellationToken stopping = default) : IRunProgress
{
    /// <summary>An ETA is printed from this fraction done on: before it, start-up time (loading data, building
    /// the model) dominates the elapsed time and a linear extrapolation overshoots many times over.</summary>
    public const double EtaFromFraction = 0.05;

    private readonly TextWriter _output = output;
    private readonly double _minSeconds = minSecondsBetweenLines;
    private readonly Func<double> _clock = clock ?? StopwatchSeconds();
    private readonly CancellationToken _stopping = stopping;

    /// <inheritdoc />
    public IProgressTask Start(string name, double total)
    {
        lock (_output) _output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: started");
        return new Task(this, name, total);
    }

    /// <summary>", ETA mm:ss" (or "h:mm:ss") for the time left at a linear rate; empty below <see cref="EtaFromFraction"/> or when done.</summary>
    /// <param name="elapsedSeconds">Time since the task started.</param>
    /// <param name="fraction">Fraction done, 0-1.</param>
    public static string EtaText(double elapsedSeconds, double fraction)
    {
        if (fraction < EtaFromFraction || fraction >= 1) return "";
        var left = TimeSpan.FromSeconds(Math.Round(elapsedSeconds / fraction - elapsedSeconds));
        return left.TotalHours >= 1 ? $", ETA {(int)left.TotalHours}:{left:mm\\:ss}" : $", ETA {left:mm\\:ss}";
    }

    private static Func<double> StopwatchSeconds()
    {
        var watch = Stopwatch.StartNew();
        return () => watch.Elapsed.TotalSeconds;
    }

    private sealed class Task(PlainProgress owner, string name, double total) : IProgressTask
    {
        private readonly double _start = owner._clock();
        private double _done, _lastPrinted = double.NegativeInfinity;
        private string? _status;

        public void Increment(double by = 1, string? status = null)
        {
            _done += by;
            _status = status ?? _status;
            double now = owner._clock() - _start;
            if (now - _lastPrinted < owner._minSeconds) return;
            _lastPrinted = now;
            double frac = total > 0 ? Math.Clamp(_done / total, 0, 1) : 1;
            lock (owner._output) owner._output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {(int)(frac * 100)} %{EtaText(now, frac)}{(_status is null ? "" : "  " + _status)}");
        }

        public void Dispose()
        {
            double seconds = owner._clock() - _start;
            string end = owner._stopping.IsCancellationRequested && _done < total
                ? $"interrupted after {seconds:0.0} s at {(int)(Math.Clamp(_done / total, 0, 1) * 100)} %"
                : $"done in {seconds:0.0} s";
            lock (owner._output) owner._output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {end}{(_status is null ? "" : "  " + _status)}");
        }
    }
}
