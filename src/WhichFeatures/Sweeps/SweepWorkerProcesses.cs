using System.Diagnostics;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Extra worker processes for a local sweep (<c>reproduce --jobs N</c>): each is this same program (started as
/// <see cref="ProgramCommand"/> describes) running <c>sweep run DIR --all</c>, so units are shared out through the
/// sweep folder's per-unit locks, exactly as on a cluster. Separate processes, not threads: libtorch's global state (generator, thread pool) stays per run.
/// Their output goes to DIR/workers/worker-N.log, and each line also to the caller's callback (<c>reproduce</c>
/// shows the workers' units on its console from them, <see cref="SuiteProgress"/>).
/// </summary>
public sealed class SweepWorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly List<WorkerLog> _logs = [];

    /// <summary>
    /// Starts <paramref name="count"/> workers of <paramref name="program"/> on the sweep in <paramref name="sweepDir"/>;
    /// <paramref name="onLine"/> gets every line a worker prints, with the worker's number (from 1).
    /// </summary>
    public SweepWorkerProcesses(string sweepDir, int count, ProgramCommand program, Action<int, string>? onLine = null)
    {
        var logs = Directory.CreateDirectory(Path.Combine(sweepDir, "workers")).FullName;
        for (int i = 1; i <= count; i++)
        {
            var start = program.StartInfo(["sweep", "run", sweepDir, "--all"]);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var p = Process.Start(start) ?? throw new InvalidOperationException("could not start a sweep worker process");
            var log = new WorkerLog(Path.Combine(logs, $"worker-{i}.log"));
            int worker = i;
            void Received(string? line)
            {
                log.Append(line);
                if (line is not null) onLine?.Invoke(worker, line);
            }
            p.OutputDataReceived += (_, e) => Received(e.Data);
            p.ErrorDataReceived += (_, e) => Received(e.Data);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            _processes.Add(p);
            _logs.Add(log);
        }
    }

    /// <summary>Waits until every worker has exited; returns their exit codes.</summary>
    public IReadOnlyList<int> WaitForAll()
    {
        // WaitForExit() without a timeout also waits for the redirected output to be read to its end.
        foreach (var p in _processes) p.WaitForExit();
        foreach (var log in _logs) log.Close();
        return _processes.Select(p => p.ExitCode).ToList();
    }

    /// <summary>Stops workers still running (after an error in the main process); they checkpoint on the way out.</summary>
    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) { p.Kill(entireProcessTree: false); p.WaitForExit(); } }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        foreach (var log in _logs) log.Close();
    }

    /// <summary>
    /// A worker's log file. Lines can still arrive after the process has exited (the output is read asynchronously),
    /// so it is closed only once the output is drained, and lines after that are dropped rather than thrown on.
    /// </summary>
    private sealed class WorkerLog(string path)
    {
        private readonly StreamWriter _writer = new(path) { AutoFlush = true };
        private bool _closed;

        public void Append(string? line)
        {
            if (line is null) return;
            lock (_writer) if (!_closed) _writer.WriteLine(line);
        }

        public void Close()
        {
            lock (_writer) { if (!_closed) _writer.Dispose(); _closed = true; }
        }
    }
}
