using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using WhichFeatures.Bench.Workloads;
using WhichFeatures.Core;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Bench;

/// <summary>
/// Workload 7: memory of a training loop, each side in a FRESH process so that peak RSS belongs to that loop alone:
/// peak RSS (VmHWM) after a few steps of workloads 1 and 2, and RSS after 100 vs after 2,000 steps.
/// </summary>
public static class MemoryProbe
{
    /// <summary>The in-process part: trains <paramref name="steps"/> steps and reports peak RSS and RSS at the given steps.</summary>
    /// <param name="model">convnet or resnet18.</param>
    /// <param name="batch">Images per step.</param>
    /// <param name="steps">Steps to run.</param>
    /// <param name="reportAt">Steps after which RSS is recorded.</param>
    /// <param name="threads">Torch threads.</param>
    public static JsonObject Run(string model, int batch, int steps, IReadOnlyCollection<int> reportAt, int threads)
    {
        set_num_threads(threads);
        using var w = new TrainStepWorkload("mem", model, batch);
        var rss = new JsonObject();
        for (int s = 1; s <= steps; s++)
        {
            w.Step();
            if (reportAt.Contains(s)) rss[s.ToString(CultureInfo.InvariantCulture)] = ProcessMemory.RssMegabytes();
        }
        return new JsonObject { ["peak_rss_mb"] = ProcessMemory.PeakRssMegabytes(), ["rss_mb"] = rss, ["steps"] = steps };
    }

    /// <summary>Runs <see cref="Run"/> in a new process of this program (<c>memory</c> verb) and parses its JSON line.</summary>
    public static JsonObject RunOursInChild(string model, int batch, int steps, IReadOnlyCollection<int> reportAt, int threads)
    {
        var exe = Environment.ProcessPath ?? "dotnet";
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") args.Add(typeof(MemoryProbe).Assembly.Location);
        args.AddRange(["memory", "--model", model, "--batch", $"{batch}", "--steps", $"{steps}", "--threads", $"{threads}",
            "--report-at", string.Join(',', reportAt)]);
        return RunChild(new ProcessStartInfo(exe, args));
    }

    /// <summary>The same in a fresh PyTorch process (torch_bench.py memory).</summary>
    public static JsonObject RunTorchInChild(string model, int batch, int steps, IReadOnlyCollection<int> reportAt, int threads, string python = "/usr/bin/python3")
    {
        var script = TorchSide.FindScript() ?? throw new FileNotFoundException("bench/reference/torch_bench.py not found");
        var psi = new ProcessStartInfo(python, [script, "memory", "--model", model, "--batch", $"{batch}", "--steps", $"{steps}",
            "--threads", $"{threads}", "--report-at", string.Join(',', reportAt)]);
        foreach (var (k, v) in TorchSide.Environment(threads)) psi.Environment[k] = v;
        return RunChild(psi);
    }

    private static JsonObject RunChild(ProcessStartInfo psi)
    {
        // Memory does not depend on how idle OpenMP threads wait, but run time does: on a busy machine spinning
        // threads make 2,000 steps take many minutes (docs/benchmarks.md, section 1).
        if (!psi.Environment.TryGetValue("OMP_WAIT_POLICY", out var policy) || string.IsNullOrEmpty(policy)) psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} exited with {p.ExitCode}");
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"no JSON from {psi.FileName}: {output}");
        return JsonNode.Parse(last)!.AsObject();
    }
}
