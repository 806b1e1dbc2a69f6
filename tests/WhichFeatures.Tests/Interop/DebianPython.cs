using System.Diagnostics;

namespace WhichFeatures.Tests.Interop;

/// <summary>
/// Runs scripts with Debian's /usr/bin/python3 (python3-numpy, python3-torch): the reference libraries whose files
/// our readers must match. Tests skip with a message when the interpreter or a module is missing.
/// </summary>
internal static class DebianPython
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Skips the test unless /usr/bin/python3 can import every module in <paramref name="modules"/>.</summary>
    public static void Require(params string[] modules)
    {
        Skip.IfNot(File.Exists(Interpreter), $"{Interpreter} not found (apt install python3-numpy)");
        var (code, _, err) = Run($"import {string.Join(", ", modules)}", Path.GetTempPath());
        Skip.If(code != 0, $"{Interpreter} cannot import {string.Join(", ", modules)}: {err.Trim()}");
    }

    /// <summary>Runs <paramref name="script"/> in <paramref name="workDir"/>; returns exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Run(string script, string workDir, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(Interpreter) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-");
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException("python timed out"); }
        return (p.ExitCode, outTask.Result, errTask.Result);
    }

    /// <summary>Runs the script and fails the test with its stderr when it fails.</summary>
    public static string RunOk(string script, string workDir)
    {
        var (code, output, err) = Run(script, workDir);
        Assert.True(code == 0, $"python failed ({code}):\n{err}");
        return output;
    }

    /// <summary>Reads a raw little-endian float64 file (numpy's tofile of a '&lt;f8' array).</summary>
    public static double[] RawDoubles(string path)
    {
        var b = File.ReadAllBytes(path);
        return Enumerable.Range(0, b.Length / 8).Select(i => BitConverter.ToDouble(b, i * 8)).ToArray();
    }
}
