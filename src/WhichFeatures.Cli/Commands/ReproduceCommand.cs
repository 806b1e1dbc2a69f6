using System.CommandLine;
using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures reproduce</c>: run a whole suite of the paper's claims and write one report.</summary>
public static class ReproduceCommand
{
    /// <summary>The suites this build can run.</summary>
    public static readonly string[] Suites = ["theory"];

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var suite = new Option<string>("--suite") { Description = "Which suite: theory (synthetic linear-model claims, no downloads).", DefaultValueFactory = _ => "theory" };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default: runs/reproduce-<suite>-<time>)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per claim (at least 1; claims are decided on all of them).", DefaultValueFactory = _ => 3 };
        var baseSeed = new Option<int>("--base-seed") { Description = "First seed; seeds are base, base+1, ...", DefaultValueFactory = _ => 0 };
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and fewer steps (for a smoke run)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0 = libtorch default).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("reproduce", "Reproduce the paper's claims and write results.json, CSVs, plots and report.html.")
        { suite, outDir, seeds, baseSeed, quick, force, threads };
        cmd.SetAction(parse =>
        {
            var name = parse.GetValue(suite)!.Trim().ToLowerInvariant();
            if (!Suites.Contains(name))
                throw new UserInputException($"--suite {name}: unknown suite; expected one of: {string.Join(", ", Suites)}.");
            int nSeeds = parse.GetValue(seeds);
            if (nSeeds < 1) throw new UserInputException($"--seeds {nSeeds}: expected at least 1.");
            int nThreads = parse.GetValue(threads);
            if (nThreads < 0) throw new UserInputException($"--threads {nThreads}: expected 0 (default) or a positive count.");
            if (nThreads > 0) TorchSharp.torch.set_num_threads(nThreads);
            var dir = OutputFolder.Prepare(parse.GetValue(outDir) ?? OutputFolder.Default($"reproduce-{name}"), parse.GetValue(force));

            var options = new TheoryRunOptions { Seeds = nSeeds, BaseSeed = parse.GetValue(baseSeed), Quick = parse.GetValue(quick) };
            var started = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            var results = ConsoleProgress.Run(progress =>
                TheorySuite.All.Select(e => e.Run(options, progress)).ToList());
            var provenance = RunProvenance.Capture("whichfeatures " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), started);
            var config = new { suite = name, options.Seeds, options.BaseSeed, options.Quick, experiments = results.Select(r => new { r.Name, r.Parameters }) };
            RunWriter.Write(dir, name, results, config, provenance);
            PrintSummary(results, dir, clock.Elapsed);
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>Prints one line per claim and where the report is.</summary>
    public static void PrintSummary(IEnumerable<ExperimentResult> results, string dir, TimeSpan elapsed)
    {
        var claims = results.SelectMany(r => r.Claims).ToList();
        foreach (var c in claims)
        {
            var key = string.Join("; ", c.Values.Take(3).Select(kv => $"{kv.Key} = {kv.Value.Mean:0.###}"));
            Console.WriteLine($"{c.Id,-6} {(c.Holds ? "holds        " : "DOES NOT HOLD")}  {key}");
        }
        Console.WriteLine($"{claims.Count(c => c.Holds)} of {claims.Count} claims hold ({elapsed.TotalSeconds:0} s).");
        Console.WriteLine($"Report: {Path.Combine(dir, "report.html")}");
    }
}
