using System.Diagnostics;
using System.Text.Json.Nodes;
using WhichFeatures.Diagnosis;
using WhichFeatures.Evaluation;
using WhichFeatures.Interop;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Bench;

/// <summary>
/// The offline probe against scikit-learn, and <c>diagnose</c> at scale (docs/benchmarks.md):
/// <list type="number">
/// <item><c>--probe-vs-sklearn DIR</c>: bench/reference/probe_sklearn.py writes 50,000 x 512 standardised float32
///   embeddings (10 classes) into DIR and times LogisticRegression(lbfgs); then our <see cref="LogisticRegressionProbe"/> fits the
///   same files with the same L2 (three times; the median is reported).</item>
/// <item><c>--diagnose DIR</c> (run in a fresh process after the first): the diagnosis of DIR's embeddings with 3
///   attributes, train/test and 5-fold, wall time and peak RSS.</item>
/// </list>
/// </summary>
public static class ProbeBench
{
    /// <summary>Runs the scikit-learn side, then ours; prints and returns both as JSON.</summary>
    public static JsonObject ProbeVsSklearn(string dir, TextWriter log)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "reference", "probe_sklearn.py");
        if (!File.Exists(script)) script = Path.GetFullPath(Path.Combine("bench", "reference", "probe_sklearn.py"));
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(script); psi.ArgumentList.Add("--out"); psi.ArgumentList.Add(dir);
        using var p = Process.Start(psi)!;
        var sk = JsonNode.Parse(p.StandardOutput.ReadToEnd().Trim().Split('\n').Last())!.AsObject();
        p.WaitForExit();
        log.WriteLine($"sklearn: {sk.ToJsonString()}");

        var (xtr, ytr, xte, yte) = (Floats(dir, "train_x"), Longs(dir, "train_y"), Floats(dir, "test_x"), Longs(dir, "test_y"));
        var probe = new LogisticRegressionProbe();
        var times = new List<double>();
        (double Train, double Test) acc = default;
        for (int r = 0; r < 3; r++)
        {
            var sw = Stopwatch.StartNew();
            acc = probe.FitAndScore(xtr, ytr, xte, yte, 10);
            times.Add(sw.Elapsed.TotalSeconds);
            log.WriteLine($"ours: fit+score {times[^1]:0.00} s, train {acc.Train:0.0000}, test {acc.Test:0.0000}");
        }
        double median = times.Order().ElementAt(1);
        var result = new JsonObject
        {
            ["sklearn"] = sk.DeepClone(),
            ["ours"] = new JsonObject { ["fit_seconds_median"] = median, ["fit_seconds"] = new JsonArray(times.Select(t => (JsonNode)t).ToArray()), ["train_acc"] = acc.Train, ["test_acc"] = acc.Test, ["protocol"] = probe.Protocol, ["threads"] = get_num_threads() },
            ["speedup"] = sk["fit_seconds"]!.GetValue<double>() / median,
            ["accuracy_gap_points"] = 100 * (acc.Test - sk["test_acc"]!.GetValue<double>()),
        };
        log.WriteLine(result.ToJsonString());
        return result;
    }

    /// <summary>Times <c>diagnose</c> on DIR's files with 3 attributes; <paramref name="folds"/> 0 = the test split.</summary>
    public static JsonObject Diagnose(string dir, int folds, TextWriter log)
    {
        var sw = Stopwatch.StartNew();
        var (train, test) = DiagnoseInputs.FromFiles(Path.Combine(dir, "train_x.npy"), Path.Combine(dir, "train_labels.csv"),
            folds == 0 ? Path.Combine(dir, "test_x.npy") : null, folds == 0 ? Path.Combine(dir, "test_labels.csv") : null);
        using var _train = train;
        using var _test = test;
        double load = sw.Elapsed.TotalSeconds;
        var settings = new DiagnosisSettings { Folds = Math.Max(folds, 2), ClassColumn = "class" };
        var r = EmbeddingDiagnosis.Run(train, test, settings);
        double total = sw.Elapsed.TotalSeconds;
        var result = new JsonObject
        {
            ["rows"] = train.Count, ["dims"] = train.Dimensions, ["evaluation"] = r.Evaluation, ["load_seconds"] = load, ["total_seconds"] = total,
            ["peak_rss_mb"] = ProcessMemory.PeakRssMegabytes(),
            ["probe"] = new JsonObject(r.Attributes.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.Measured.ProbeTest.Mean))),
        };
        log.WriteLine(result.ToJsonString());
        return result;
    }

    private static Tensor Floats(string dir, string name)
    {
        var a = NpyFile.Read(Path.Combine(dir, name + ".npy"));
        return tensor(a.Doubles!.Select(v => (float)v).ToArray(), a.Shape);
    }

    private static Tensor Longs(string dir, string name) => tensor(NpyFile.Read(Path.Combine(dir, name + ".npy")).Longs!);
}
