using System.Diagnostics;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// The local Slurm cluster that deploy/slurm/local-cluster.sh starts (CI starts it before the tests). Client
/// commands find it through SLURM_CONF, which defaults to that script's /tmp/wf-slurm/etc/slurm.conf.
/// </summary>
internal static class SlurmCluster
{
    public static string Conf => Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 } c ? c : "/tmp/wf-slurm/etc/slurm.conf";

    /// <summary>Skips the test unless `sinfo` answers with a usable node.</summary>
    public static void SkipUnlessUp()
    {
        string? why = null;
        if (!File.Exists(Conf)) why = $"no Slurm config at {Conf}";
        else
        {
            var (code, output) = Run("sinfo", ["-h", "-o", "%T"], timeoutSeconds: 15);
            if (code != 0 || !output.Split('\n').Any(l => l.Trim() is "idle" or "mixed" or "allocated"))
                why = $"sinfo found no usable node (exit {code}: {output.Trim()})";
        }
        Skip.If(why is not null, $"no local Slurm cluster ({why}); start one with deploy/slurm/local-cluster.sh start");
    }

    /// <summary>Runs a Slurm client command; returns its exit code and stdout + stderr.</summary>
    public static (int Code, string Output) Run(string command, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["SLURM_CONF"] = Conf;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(); return (-1, "timed out"); }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    /// <summary>Submits a batch script; returns the job id.</summary>
    public static string Submit(string script, IReadOnlyDictionary<string, string>? env = null)
    {
        var (code, output) = Run("sbatch", ["--parsable", script], env);
        Assert.True(code == 0, $"sbatch failed: {output}");
        return output.Trim().Split(';')[0];
    }

    /// <summary>Array tasks of <paramref name="job"/> still queued or running, as "jobid_index state reason" lines.</summary>
    public static string[] Active(string job)
    {
        var (code, output) = Run("squeue", ["-h", "-r", "-j", job, "-o", "%i %T %r"]);
        return code == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    /// <summary>
    /// Waits until every task of <paramref name="job"/> has left the queue and <paramref name="finished"/> holds
    /// (the units' own files: between a task's `scontrol requeue` and its return to PENDING the queue can look
    /// empty), calling <paramref name="poll"/> on each round. A requeued task waits cred_expire seconds before it starts
    /// again (10 s on the local cluster, 120 s by default).
    /// </summary>
    public static void WaitForJob(string job, int timeoutSeconds, Func<bool> finished, Action? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            poll?.Invoke();
            var active = Active(job);
            if (active.Length == 0 && finished()) return;
            Assert.True(clock.Elapsed.TotalSeconds < timeoutSeconds, $"job {job} not finished after {timeoutSeconds} s; in the queue: {string.Join("; ", active)}");
            Thread.Sleep(500);
        }
    }
}
