using System.Diagnostics;
using System.Globalization;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Bench;

/// <summary>
/// What <see cref="ConvolutionPathCheck"/> costs at model creation (<c>--convolution-check</c>, docs/robustness.md; the
/// target is under 1 s): every model of <see cref="ModelFactory"/> with 1 and 3 input channels at 1 and 2 threads,
/// each in a fresh process of this program (<c>convolution-check</c> verb) after one tensor operation has loaded
/// libtorch, timed from <see cref="ConvolutionPathCheck.Choose"/>'s call to its return. The parent sets
/// <c>WHICHFEATURES_ONEDNN</c> for its children as given, so <c>WHICHFEATURES_ONEDNN=0</c> times the second candidate
/// alone; the sum of both runs bounds a check whose first candidate fails.
/// </summary>
public static class ConvolutionCheckBench
{
    /// <summary>Runs every configuration <paramref name="repeat"/> times, each in a fresh child, and prints the median and range.</summary>
    public static void Run(int repeat, TextWriter log)
    {
        log.WriteLine($"convolution path check, {repeat} fresh process(es) per configuration, WHICHFEATURES_ONEDNN={Environment.GetEnvironmentVariable(ConvolutionPathCheck.OneDnnVariable) ?? "(unset)"}");
        log.WriteLine("| model | channels | threads | seconds, median (min-max) | path | loss / gradient error |");
        log.WriteLine("|---|---|---|---|---|---|");
        foreach (var model in ModelFactory.Names)
            foreach (int channels in new[] { 1, 3 })
                foreach (int threads in new[] { 1, 2 })
                {
                    var runs = Enumerable.Range(0, repeat).Select(_ => RunChild(model, channels, threads)).ToList();
                    var seconds = runs.Select(r => r.Seconds).Order().ToList();
                    var last = runs[^1];
                    log.WriteLine(FormattableString.Invariant(
                        $"| {model} | {channels} | {threads} | {seconds[seconds.Count / 2]:F2} ({seconds[0]:F2}-{seconds[^1]:F2}) | {last.Path} | {last.Errors} |"));
                }
    }

    /// <summary>The child: one check, timed; prints "seconds path errors" on one line.</summary>
    public static void Child(string model, int channels, int threads)
    {
        set_num_threads(threads);
        using (var warm = ones(3).add(1)) { }   // libtorch loaded before the clock starts
        var config = new ModelConfig { Name = model, InChannels = channels, Head = ProjectionHeadKind.Mlp };
        var sw = Stopwatch.StartNew();
        var choice = ConvolutionPathCheck.Choose(config, 32);
        double seconds = sw.Elapsed.TotalSeconds;
        var t = choice.Tried[^1];
        Console.WriteLine(FormattableString.Invariant($"{seconds:R} {choice.Path} {t.LossError:E1}/{t.GradientError:E1}"));
    }

    private static (double Seconds, string Path, string Errors) RunChild(string model, int channels, int threads)
    {
        var exe = Environment.ProcessPath ?? "dotnet";
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") args.Add(typeof(ConvolutionCheckBench).Assembly.Location);
        args.AddRange(["convolution-check", "--model", model, "--channels", $"{channels}", "--threads", $"{threads}"]);
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        var parts = lines[^1].Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]);
    }
}
