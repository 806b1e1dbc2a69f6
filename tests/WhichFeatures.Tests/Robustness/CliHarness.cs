using System.Diagnostics;
using System.Text;
using WhichFeatures.Cli;

namespace WhichFeatures.Tests.Robustness;

/// <summary>What a CLI invocation printed and returned.</summary>
internal sealed record CliResult(int Code, string Out, string Err)
{
    public string All => Out + Err;

    /// <summary>Exit code 2, one "error: ..." line naming every part, and no stack-trace line anywhere.</summary>
    public void AssertUserError(params string[] parts)
    {
        Assert.True(Code == 2, $"exit code {Code}, expected 2.\nstdout:\n{Out}\nstderr:\n{Err}");
        Assert.Contains("error: ", Err);
        foreach (var p in parts) Assert.Contains(p, Err, StringComparison.OrdinalIgnoreCase);
        AssertNoStackTrace();
    }

    public void AssertNoStackTrace()
    {
        Assert.DoesNotContain("   at ", All);
        Assert.DoesNotContain("Exception:", All);   // "System.IO.IOException: ..." is how a raw exception prints
        Assert.DoesNotContain("internal error", All);
    }
}

/// <summary>
/// Runs the whichfeatures CLI either in process (CliApp.Run with Console redirected: fast, for input errors) or as a
/// child process (dotnet WhichFeatures.Cli.dll: for kills, signals and crashes), always with a timeout.
/// </summary>
internal static class CliHarness
{
    private static readonly object ConsoleGate = new();

    /// <summary>The built CLI next to the test assembly (the test project references it).</summary>
    public static string CliDll => typeof(CliApp).Assembly.Location;

    /// <summary>Whether this process ignores SIGINT (bit 2 of the SigIgn mask in /proc/self/status), as jobs started in the background by a shell do; children inherit it.</summary>
    public static bool SigIntIgnored()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return false;
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;
    }

    public static CliResult InProcess(params string[] args)
    {
        lock (ConsoleGate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var output = new StringWriter();
            var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                int code = CliApp.Run(args);
                return new CliResult(code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    /// <summary>A started child process whose output is collected as it comes.</summary>
    internal sealed class Child : IDisposable
    {
        private readonly StringBuilder _out = new(), _err = new();
        public Process Process { get; }

        public Child(string[] args, IReadOnlyDictionary<string, string>? env)
        {
            var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            psi.ArgumentList.Add(CliDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["CI"] = "1";   // plain progress lines, no live terminal widgets
            psi.Environment.Remove(WhichFeatures.Core.FaultInjection.CrashVariable);
            psi.Environment.Remove(WhichFeatures.Core.FaultInjection.PauseVariable);
            foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
            Process = new Process { StartInfo = psi };
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
            Process.Start();
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        /// <summary>Everything the child printed so far (stdout, then stderr).</summary>
        public string OutputSoFar { get { lock (_out) lock (_err) return _out.ToString() + _err; } }

        /// <summary>Waits for exit; on timeout kills the child and fails the test.</summary>
        public CliResult Wait(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout))
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
                Assert.Fail($"the CLI did not finish within {timeout.TotalSeconds} s.\nstdout:\n{_out}\nstderr:\n{_err}");
            }
            Process.WaitForExit();   // drains the asynchronous readers
            lock (_out) lock (_err) return new CliResult(Process.ExitCode, _out.ToString(), _err.ToString());
        }

        /// <summary>Sends a POSIX signal with kill(1) (Process.Kill only sends SIGKILL).</summary>
        public void Signal(string name)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, Process.Id.ToString() }, UseShellExecute = false })!;
            Assert.True(kill.WaitForExit(10_000), "kill(1) hung");
            Assert.Equal(0, kill.ExitCode);
        }

        public void Dispose()
        {
            try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            Process.Dispose();
        }
    }

    public static Child Start(string[] args, IReadOnlyDictionary<string, string>? env = null) => new(args, env);

    public static CliResult Run(string[] args, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 120)
    {
        using var child = Start(args, env);
        return child.Wait(TimeSpan.FromSeconds(timeoutSeconds));
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="timeoutSeconds"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string what, int timeoutSeconds = 60, Child? child = null)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (child is not null && child.Process.HasExited)
                Assert.Fail($"the CLI exited (code {child.Process.ExitCode}) before {what}.");
            if (sw.Elapsed.TotalSeconds > timeoutSeconds) Assert.Fail($"timed out waiting for {what}.");
            Thread.Sleep(25);
        }
    }
}
