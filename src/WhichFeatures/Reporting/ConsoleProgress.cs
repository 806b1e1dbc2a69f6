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
    public static T Run<T>(Func<IRunProgress, T> work, bool quiet = false)
    {
        if (quiet) return work(NullProgress.Instance);
        if (!IsInteractive) return work(new PlainProgress(Console.Out));
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

/// <summary>Plain progress lines ("[12:00:01] name 40% status"), at most one per task every few seconds.</summary>
public sealed class PlainProgress(TextWriter output, double minSecondsBetweenLines = 5) : IRunProgress
{
    private readonly TextWriter _output = output;
    private readonly double _minSeconds = minSecondsBetweenLines;

    /// <inheritdoc />
    public IProgressTask Start(string name, double total)
    {
        lock (_output) _output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: started");
        return new Task(this, name, total);
    }

    private sealed class Task(PlainProgress owner, string name, double total) : IProgressTask
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private double _done, _lastPrinted = double.NegativeInfinity;
        private string? _status;

        public void Increment(double by = 1, string? status = null)
        {
            _done += by;
            _status = status ?? _status;
            double now = _clock.Elapsed.TotalSeconds;
            if (now - _lastPrinted < owner._minSeconds) return;
            _lastPrinted = now;
            double frac = total > 0 ? Math.Clamp(_done / total, 0, 1) : 1;
            string eta = frac > 0 && frac < 1 ? $", ETA {TimeSpan.FromSeconds(now / frac - now):mm\\:ss}" : "";
            lock (owner._output) owner._output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {frac:P0}{eta}{(_status is null ? "" : "  " + _status)}");
        }

        public void Dispose()
        {
            lock (owner._output) owner._output.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: done in {_clock.Elapsed.TotalSeconds:0.0} s{(_status is null ? "" : "  " + _status)}");
        }
    }
}
