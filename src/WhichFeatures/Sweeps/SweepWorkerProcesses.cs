using System.Diagnostics;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Extra worker processes for a local sweep (<c>reproduce --jobs N</c>): each is this same program (started as
/// <see cref="ProgramCommand"/> describes) running <c>sweep run DIR --all</c>, so units are shared out through the
/// sweep folder's per-unit locks, exactly as on a cluster. Separate processes, not threads: libtorch's global state (generator, thread pool) stays per run.
/// Their output goes to DIR/workers/worker-N.log so the console shows the main process's lines only.
/// </summary>
public sealed class SweepWorkerProcesses : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <summary>Starts <paramref name="count"/> workers of <paramref name="program"/> on the sweep in <paramref name="sweepDir"/>.</summary>
    public SweepWorkerProcesses(string sweepDir, int count, ProgramCommand program)
    {
        var logs = Directory.CreateDirectory(Path.Combine(sweepDir, "workers")).FullName;
        for (int i = 1; i <= count; i++)
        {
            var start = program.StartInfo(["sweep", "run", sweepDir, "--all"]);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var p = Process.Start(start) ?? throw new InvalidOperationException("could not start a sweep worker process");
            var log = new StreamWriter(Path.Combine(logs, $"worker-{i}.log")) { AutoFlush = true };
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
            p.Exited += (_, _) => { lock (log) log.Dispose(); };
            p.EnableRaisingEvents = true;
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            _processes.Add(p);
        }
    }

    /// <summary>Waits until every worker has exited; returns their exit codes.</summary>
    public IReadOnlyList<int> WaitForAll()
    {
        foreach (var p in _processes) p.WaitForExit();
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
    }
}
