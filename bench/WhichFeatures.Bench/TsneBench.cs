using System.Diagnostics;
using System.Text.Json.Nodes;
using WhichFeatures.Interop;
using WhichFeatures.Maps;

namespace WhichFeatures.Bench;

/// <summary>
/// Our t-SNE against scikit-learn's (<c>--tsne-vs-sklearn DIR</c>, docs/benchmarks.md "t-SNE"): bench/reference/tsne_sklearn.py
/// writes the input sets into DIR and maps each with scikit-learn (timed); then <see cref="Tsne"/> maps the same
/// files with the same defaults (timed, in this process, after the Python side has exited). Both maps are scored by
/// the same code: <see cref="Trustworthiness"/> at k = 10 and 30 (checked against scikit-learn's own value of its map)
/// and <see cref="MapNeighbourAccuracy"/> (10 nearest, leave one out).
/// </summary>
public static class TsneBench
{
    /// <summary>Runs both sides on every set (or <paramref name="only"/>), prints and returns one JSON object per set.</summary>
    public static JsonArray Run(string dir, string? mnistDir, string? only, bool reuseSklearn, TextWriter log, int repeat = 1)
    {
        var sklearn = (reuseSklearn ? ReadSaved(dir) : RunSklearn(dir, mnistDir, only, log))
            .Where(s => only is null || only.Split(',').Contains(s["set"]!.GetValue<string>())).ToList();
        var results = new JsonArray();
        foreach (var sk in sklearn)
        {
            string name = sk["set"]!.GetValue<string>();
            var x = NpyFile.Read(Path.Combine(dir, $"{name}_x.npy"));
            var labels = NpyFile.Read(Path.Combine(dir, $"{name}_y.npy")).Longs!;
            int n = (int)x.Shape[0], d = (int)x.Shape[1];
            var sw = Stopwatch.StartNew();
            var ours = Tsne.Fit(x.Doubles!, n, d, new TsneOptions(method: TsneMethod.BarnesHut));
            double seconds = sw.Elapsed.TotalSeconds;
            // --repeat R: R - 1 more rounds, scikit-learn then ours, one after the other; the medians are reported.
            var ourTimes = new List<double> { seconds };
            var theirTimes = new List<double> { sk["seconds"]!.GetValue<double>() };
            for (int r = 1; r < repeat; r++)
            {
                theirTimes.Add(RunSklearn(dir, null, name, log).Single()["seconds"]!.GetValue<double>());
                sw.Restart();
                Tsne.Fit(x.Doubles!, n, d, new TsneOptions(method: TsneMethod.BarnesHut));
                ourTimes.Add(sw.Elapsed.TotalSeconds);
                log.WriteLine($"{name} round {r + 1}: scikit-learn {theirTimes[^1]:0.00} s, ours {ourTimes[^1]:0.00} s");
            }
            seconds = Median(ourTimes);
            sk["seconds"] = Median(theirTimes);
            var theirs = NpyFile.Read(Path.Combine(dir, $"{name}_sklearn.npy")).Doubles!;
            var row = new JsonObject
            {
                ["set"] = name, ["rows"] = n, ["dims"] = d,
                ["ours"] = Scores(x.Doubles!, d, ours.Coordinates, labels, seconds, ours.Divergence),
                ["ours_stages"] = new JsonObject { ["neighbours"] = ours.Seconds.Neighbours, ["affinities"] = ours.Seconds.Affinities, ["descent"] = ours.Seconds.Descent },
                ["sklearn"] = Scores(x.Doubles!, d, theirs, labels, sk["seconds"]!.GetValue<double>(), sk["kl"]!.GetValue<double>()),
                ["sklearn_own_trust10"] = sk["trust10"]!.GetValue<double>(),
                ["sklearn_own_trust30"] = sk["trust30"]!.GetValue<double>(),
                ["speedup"] = sk["seconds"]!.GetValue<double>() / seconds,
                ["rounds"] = ourTimes.Count,
                ["ours_seconds_each"] = new JsonArray(ourTimes.Select(t => (JsonNode)t).ToArray()),
                ["sklearn_seconds_each"] = new JsonArray(theirTimes.Select(t => (JsonNode)t).ToArray()),
            };
            log.WriteLine(row.ToJsonString());
            results.Add(row);
        }
        File.WriteAllText(Path.Combine(dir, "tsne_bench.json"), results.ToJsonString(new() { WriteIndented = true }));
        return results;
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static JsonObject Scores(double[] data, int d, double[] map, long[] labels, double seconds, double kl) => new()
    {
        ["seconds"] = seconds, ["kl"] = kl,
        ["trust10"] = Trustworthiness.Compute(data, d, map, 10),
        ["trust30"] = Trustworthiness.Compute(data, d, map, 30),
        ["knn10"] = MapNeighbourAccuracy.Compute(map, labels, 10),
    };

    private static List<JsonObject> RunSklearn(string dir, string? mnistDir, string? only, TextWriter log)
    {
        var script = ReferenceScript("tsne_sklearn.py");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        foreach (var a in new[] { script, "--out", dir }) psi.ArgumentList.Add(a);
        if (mnistDir is not null) { psi.ArgumentList.Add("--mnist"); psi.ArgumentList.Add(mnistDir); }
        if (only is not null) { psi.ArgumentList.Add("--only"); psi.ArgumentList.Add(only); }
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} exited with {p.ExitCode}");
        if (only is null) File.WriteAllLines(Path.Combine(dir, "sklearn.jsonl"), lines);
        foreach (var l in lines) log.WriteLine($"sklearn: {l}");
        return lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    /// <summary>bench/reference/<paramref name="name"/>, found from the working folder or from this program's folder upwards.</summary>
    private static string ReferenceScript(string name)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bench", "reference", name))) return Path.Combine(dir.FullName, "bench", "reference", name);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bench", "reference", name))) return Path.Combine(dir.FullName, "bench", "reference", name);
        throw new FileNotFoundException($"bench/reference/{name} not found above {Directory.GetCurrentDirectory()}");
    }

    private static List<JsonObject> ReadSaved(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "sklearn.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
}
