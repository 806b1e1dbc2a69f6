using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WhichFeatures.Bench;

/// <summary>
/// The long-lived PyTorch process (bench/reference/torch_bench.py serve), driven one JSON line at a time, so the two
/// sides can alternate without paying Python and torch start-up per round. Runs Debian's /usr/bin/python3 with
/// Debian's OpenBLAS on LD_LIBRARY_PATH, OPENBLAS_CORETYPE forced, and the given torch thread count.
/// </summary>
public sealed class TorchSide : IDisposable
{
    private readonly Process _process;

    private TorchSide(Process process) => _process = process;

    /// <summary>The child's process id (its CPU time is ours, not a neighbour's).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Versions, BLAS libraries loaded, thread count (the <c>info</c> command).</summary>
    public JsonObject Info { get; private set; } = new();

    /// <summary>Where the reference script is: bench/reference/torch_bench.py above the program, or null.</summary>
    public static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "reference", "torch_bench.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Why the PyTorch side cannot run here (no script, no python3-torch), or null when it can.</summary>
    /// <param name="python">The interpreter (Debian's /usr/bin/python3).</param>
    public static string? Unavailable(string python = "/usr/bin/python3")
    {
        if (FindScript() is null) return "bench/reference/torch_bench.py not found above the program";
        if (!File.Exists(python)) return $"{python} not found";
        try
        {
            var psi = new ProcessStartInfo(python, ["-c", "import torch, torchvision"]) { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            p.WaitForExit(60_000);
            return p.ExitCode == 0 ? null : "python3-torch / python3-torchvision not installed (run bench/reference/setup.sh)";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"cannot run {python}: {e.Message}";
        }
    }

    /// <summary>The environment the PyTorch side runs with (see bench/reference/setup.sh and docs/benchmarks.md).</summary>
    /// <param name="threads">Torch / OpenMP / OpenBLAS threads.</param>
    public static Dictionary<string, string> Environment(int threads)
    {
        const string blasDir = "/usr/lib/x86_64-linux-gnu/openblas-pthread";
        bool avx512 = File.Exists("/proc/cpuinfo") && File.ReadAllText("/proc/cpuinfo").Contains(" avx512f", StringComparison.Ordinal);
        var old = System.Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        return new()
        {
            ["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(old) ? blasDir : blasDir + ":" + old,
            ["OPENBLAS_CORETYPE"] = System.Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } c ? c : avx512 ? "SkylakeX" : "Haswell",
            ["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OPENBLAS_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PYTHONUNBUFFERED"] = "1",
        };
    }

    /// <summary>Starts the server and reads its <c>info</c>.</summary>
    /// <param name="threads">Torch threads on the PyTorch side.</param>
    /// <param name="python">The interpreter.</param>
    public static TorchSide Start(int threads, string python = "/usr/bin/python3")
    {
        var script = FindScript() ?? throw new FileNotFoundException("bench/reference/torch_bench.py not found");
        var psi = new ProcessStartInfo(python, [script, "serve", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
        };
        foreach (var (k, v) in Environment(threads)) psi.Environment[k] = v;
        var side = new TorchSide(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}"));
        side.Info = side.Send(new JsonObject { ["cmd"] = "info" });
        return side;
    }

    /// <summary>Sends one command and waits for its one-line JSON reply; an <c>error</c> reply throws.</summary>
    /// <param name="command">The command object (with <c>cmd</c>).</param>
    public JsonObject Send(JsonObject command)
    {
        _process.StandardInput.WriteLine(command.ToJsonString());
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the PyTorch side exited (see its stderr above)");
        var reply = JsonNode.Parse(line)?.AsObject() ?? throw new InvalidOperationException($"bad reply from the PyTorch side: {line}");
        if (reply["error"] is JsonNode err) throw new InvalidOperationException($"PyTorch side: {err}");
        return reply;
    }

    /// <summary>Builds and warms up a workload on the PyTorch side.</summary>
    /// <param name="setup">Workload name and parameters.</param>
    public void Setup(JsonObject setup)
    {
        var cmd = JsonNode.Parse(setup.ToJsonString())!.AsObject();
        cmd["cmd"] = "setup";
        Send(cmd);
    }

    /// <summary>Runs the current workload for at least <paramref name="seconds"/> (and one call): (work, seconds, calls).</summary>
    /// <param name="seconds">Time budget.</param>
    public (double Work, double Seconds, int Calls) Run(double seconds)
    {
        var r = Send(new JsonObject { ["cmd"] = "run", ["seconds"] = seconds });
        return (r["work"]!.GetValue<double>(), r["seconds"]!.GetValue<double>(), r["calls"]!.GetValue<int>());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"cmd\": \"quit\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000)) _process.Kill();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { }
        _process.Dispose();
    }

    /// <summary>JSON options for printing replies.</summary>
    public static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };
}
