// The WhichFeatures benchmark (docs/benchmarks.md): our TorchSharp code and the same work in PyTorch, side by side, in
// alternation, on the same machine, with the CPU used by other processes printed next to every number.
//
//   bash bench/reference/setup.sh          # once: Debian's python3-torch + torchvision + OpenBLAS (pthread)
//   dotnet run -c Release --project bench/WhichFeatures.Bench -- [options]
//
// Options: --rounds N (5)  --seconds T per side per round (3)  --threads N (2)  --only w1,w3,...  --no-torch
//          --quick (2 rounds x 1.5 s, 2,560-image epoch, 300-step drift)  --tiny (smoke sizes)  --data DIR
//          --epoch-rounds N (2)  --epoch-limit N (0 = all)  --workers N (PyTorch DataLoader workers, 2)
//          --drift-steps N (2000)  --drift-batch N (32)  --drift-torch (also PyTorch's drift)  --no-memory
//          --omp-wait passive|active (OMP_WAIT_POLICY for both sides; default: unset, as users run)
//          --no-onednn (our side without libtorch's oneDNN kernels, as WHICHFEATURES_ONEDNN=0 or a failed check makes the
//          trainer run; default: oneDNN on, NCHW, as the trainer runs where Models/ConvolutionPathCheck passes)
//          --channels-last (NHWC input on w1, w2, w4, w8; the trainer never feeds it)
//          --profile-augment (workload 3 stage by stage)
//          --profile-linalg (workload 6's float64 BLAS/LAPACK calls; torch_bench.py linalg is the PyTorch twin)
//          --ab channels-last (profiling: our NHWC variant vs NCHW on w1/w2, no PyTorch)
//          --out DIR (writes results.md + results.json)
//          --probe-vs-sklearn DIR (offline probe vs scikit-learn on 50,000 x 512; writes the data into DIR)
//          --diagnose DIR [--folds K] (diagnose on DIR's data, 3 attributes; K = 0: the test split; run in a fresh process)
//          --tsne-vs-sklearn DIR [--mnist DIR] [--sets a,b] [--reuse-sklearn] [--repeat R] (t-SNE vs scikit-learn: quality and
//          time per set; R rounds of both sides one after the other, medians reported)
//          --convolution-check [--repeat R] (what Models/ConvolutionPathCheck costs per model, channels and threads, each in
//          a fresh process; R processes each, median reported)
// Child mode (used by workload 7): memory --model M --batch B --steps S --threads N --report-at a,b
using System.Globalization;
using System.Text.Json.Nodes;
using WhichFeatures.Bench;
using WhichFeatures.Core;
using static TorchSharp.torch;

var opts = ParseOptions(args);
// Before the first torch call: libgomp reads OMP_* when libtorch loads. Children (PyTorch side, memory probes) inherit it.
if (opts.TryGetValue("omp-wait", out var ompWait) && ompWait.Length > 0) NativeEnvironment.Set("OMP_WAIT_POLICY", ompWait.ToUpperInvariant(), overwrite: true);
if (args.Length > 0 && args[0] == "memory")
{
    var reportAt = Str("report-at", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
    Console.WriteLine(MemoryProbe.Run(Str("model", "convnet"), Int("batch", 256), Int("steps", 20), reportAt, Int("threads", 2)).ToJsonString());
    return 0;
}

if (args.Length > 0 && args[0] == "convolution-check")
{
    ConvolutionCheckBench.Child(Str("model", "resnet18"), Int("channels", 1), Int("threads", 1));
    return 0;
}
if (opts.ContainsKey("convolution-check"))
{
    ConvolutionCheckBench.Run(Int("repeat", 3), Console.Out);
    return 0;
}

bool quick = opts.ContainsKey("quick"), tiny = opts.ContainsKey("tiny");
int threads = Int("threads", 2);
int rounds = Int("rounds", quick || tiny ? 2 : 5);
double seconds = Dbl("seconds", quick ? 1.5 : tiny ? 0.05 : 3);
int epochRounds = Int("epoch-rounds", quick || tiny ? 1 : 2);
int epochLimit = Int("epoch-limit", quick ? 2560 : 0);
int driftSteps = Int("drift-steps", quick ? 300 : tiny ? 6 : 2000), driftBatch = Int("drift-batch", tiny ? 4 : 32);
var size = tiny ? BenchSize.Tiny : BenchSize.Full;
var only = opts.TryGetValue("only", out var o) ? o.Split(',', StringSplitOptions.RemoveEmptyEntries) : BenchCatalog.Ids.Concat(["w7"]).ToArray();
string? dataDir = BenchCatalog.FindData(opts.GetValueOrDefault("data"));
set_num_threads(threads);

Console.WriteLine($"WhichFeatures benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical CPUs, load average {LoadAverage()}");
Console.WriteLine($"ours: .NET {Environment.Version}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, {threads} torch threads, OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "(unset)"}");
Console.WriteLine($"rounds {rounds} x {seconds} s per side (w2 x2.5, w4 {epochRounds} epoch(s) per side{(epochLimit > 0 ? $" of {epochLimit} images" : "")}), sizes {size}");

if (opts.TryGetValue("probe-vs-sklearn", out var probeDir))
{
    ProbeBench.ProbeVsSklearn(probeDir, Console.Out);
    return 0;
}

if (opts.TryGetValue("tsne-vs-sklearn", out var tsneDir))
{
    TsneBench.Run(tsneDir, opts.GetValueOrDefault("mnist"), opts.GetValueOrDefault("sets"), opts.ContainsKey("reuse-sklearn"), Console.Out, Int("repeat", 1));
    return 0;
}

if (opts.TryGetValue("diagnose", out var diagnoseDir))
{
    ProbeBench.Diagnose(diagnoseDir, Int("folds", 0), Console.Out);
    return 0;
}

if (opts.ContainsKey("profile-augment"))
{
    AugmentProfile.Run(tiny ? 8 : 256, seconds, Console.Out);
    return 0;
}

if (opts.ContainsKey("profile-linalg"))
{
    LinalgProfile.Run(seconds, Console.Out);
    return 0;
}

if (opts.TryGetValue("ab", out var ab))
{
    // Profiling A/B of our own variants, no PyTorch: A = variant, B = default.
    var meterAb = new CpuMeter();
    var abResults = new List<WorkloadResult>();
    foreach (var (id, model, batch) in new[] { ("w1", "convnet", tiny ? 8 : 256), ("w2", "resnet18", tiny ? 4 : 128) }.Where(t => only.Contains(t.Item1)))
    {
        using var a = new WhichFeatures.Bench.Workloads.TrainStepWorkload(id, model, batch, channelsLast: ab == "channels-last");
        using var b = new WhichFeatures.Bench.Workloads.TrainStepWorkload(id, model, batch);
        abResults.Add(Alternation.MeasurePair(a, b, rounds, seconds * BenchCatalog.TimeFactor(id), meterAb, Console.Out));
    }
    Console.WriteLine($"A = {ab}, B = NCHW (ratio > 1: A faster)");
    Console.WriteLine(BenchReport.Table(abResults));
    return 0;
}

// Our side runs as the trainer does: oneDNN off unless asked (docs/robustness.md, "Convolution kernels that compute
// another function"); the PyTorch side keeps its defaults.
if (opts.ContainsKey("channels-last") && opts.ContainsKey("no-onednn")) { Console.WriteLine("--channels-last needs oneDNN (drop --no-onednn)"); return 2; }
WhichFeatures.Models.OneDnn.Enabled = !opts.ContainsKey("no-onednn");
Console.WriteLine($"our side: oneDNN {(WhichFeatures.Models.OneDnn.Enabled ? "on" : "off")}, {(opts.ContainsKey("channels-last") ? "channels-last" : "NCHW")} input");

TorchSide? torch = null;
if (!opts.ContainsKey("no-torch"))
{
    var why = TorchSide.Unavailable();
    if (why is null) torch = TorchSide.Start(threads);
    else Console.WriteLine($"PyTorch side skipped: {why}");
}
if (torch is not null)
    Console.WriteLine($"PyTorch: {torch.Info.ToJsonString()}");

var meter = new CpuMeter(() => torch is null ? [] : [torch.ProcessId]);
var results = new List<WorkloadResult>();
double sgemmFlop = 0;
foreach (var id in BenchCatalog.Ids.Where(only.Contains))
{
    if (id == "w4" && dataDir is null) { Console.WriteLine("w4 skipped: no CIFAR-10 folder (give --data DIR or set WHICHFEATURES_SHARED)"); continue; }
    Console.WriteLine($"{id}: {DateTime.UtcNow:HH:mm:ss}");
    using var workload = BenchCatalog.Create(id, size, dataDir, epochLimit, Int("workers", 2), channelsLast: opts.ContainsKey("channels-last"));
    if (workload is WhichFeatures.Bench.Workloads.SgemmWorkload s) sgemmFlop = s.FlopPerCall;
    int r = id == "w4" ? epochRounds : rounds;
    results.Add(Alternation.Measure(workload, torch, r, seconds * BenchCatalog.TimeFactor(id), meter, Console.Out));
}

var memoryRows = new List<(string, JsonObject, JsonObject?)>();
if (only.Contains("w7") && !opts.ContainsKey("no-memory"))
{
    Console.WriteLine($"w7: {DateTime.UtcNow:HH:mm:ss}");
    int peakSteps1 = tiny ? 2 : 20, peakSteps2 = tiny ? 2 : 5;
    foreach (var (label, model, batch, steps, at) in new[]
    {
        ("w1 convnet batch " + (tiny ? 8 : 256), "convnet", tiny ? 8 : 256, peakSteps1, Array.Empty<int>()),
        ("w2 resnet18 batch " + (tiny ? 4 : 128), "resnet18", tiny ? 4 : 128, peakSteps2, Array.Empty<int>()),
        ($"convnet batch {driftBatch}, {driftSteps} steps", "convnet", driftBatch, driftSteps, new[] { Math.Min(100, driftSteps / 2), driftSteps }),
    })
    {
        var ours = MemoryProbe.RunOursInChild(model, batch, steps, at, threads);
        bool drift = at.Length > 0;
        var theirs = torch is null || (drift && !opts.ContainsKey("drift-torch")) ? null : MemoryProbe.RunTorchInChild(model, batch, steps, at, threads);
        Console.WriteLine($"  {label}: ours {ours.ToJsonString()} | torch {theirs?.ToJsonString() ?? "-"}");
        memoryRows.Add((label, ours, theirs));
    }
}
torch?.Dispose();

var noise = results.SelectMany(x => x.OthersCpu).Where(double.IsFinite).ToArray();
double noiseMedian = Summary.Of(noise).Median, noiseMax = noise.DefaultIfEmpty(double.NaN).Max();
string verdict = noiseMedian < 0.05 ? "quiet" : noiseMedian < 0.2 ? "somewhat busy" : "LOUD (numbers unreliable)";
var md = new System.Text.StringBuilder();
md.AppendLine("### Throughput (higher ratio = we are faster)").AppendLine().Append(BenchReport.Table(results)).AppendLine();
if (sgemmFlop > 0) md.AppendLine("### Roofline (conv + linear FLOP, train = fwd + bwd)").AppendLine().Append(BenchReport.Roofline(results, sgemmFlop)).AppendLine();
if (memoryRows.Count > 0) md.AppendLine("### Memory (workload 7, each probe in a fresh process)").AppendLine().Append(BenchReport.Memory(memoryRows)).AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Machine noise: other processes used {100 * noiseMedian:F0}% (median over timed intervals, max {100 * noiseMax:F0}%) of the CPUs: {verdict}.");
Console.WriteLine();
Console.WriteLine(md.ToString());

if (opts.TryGetValue("out", out var outDir))
{
    Directory.CreateDirectory(outDir);
    File.WriteAllText(Path.Combine(outDir, "results.md"), md.ToString());
    var json = new JsonObject
    {
        ["utc"] = DateTime.UtcNow.ToString("O"), ["threads"] = threads, ["rounds"] = rounds, ["seconds"] = seconds,
        ["noise_median"] = noiseMedian, ["noise_max"] = noiseMax, ["torch"] = torch?.Info.DeepClone(),
        ["workloads"] = new JsonArray(results.Select(x => (JsonNode)new JsonObject
        {
            ["id"] = x.Id, ["label"] = x.Label, ["unit"] = x.Unit, ["ratio"] = double.IsNaN(x.Ratio) ? null : x.Ratio,
            ["ours"] = new JsonArray(x.Ours.Select(v => (JsonNode)v).ToArray()), ["torch"] = new JsonArray(x.Torch.Select(v => (JsonNode)v).ToArray()),
            ["others_cpu"] = new JsonArray(x.OthersCpu.Where(double.IsFinite).Select(v => (JsonNode)v).ToArray()),
        }).ToArray()),
        ["memory"] = new JsonArray(memoryRows.Select(m => (JsonNode)new JsonObject { ["probe"] = m.Item1, ["ours"] = m.Item2.DeepClone(), ["torch"] = m.Item3?.DeepClone() }).ToArray()),
    };
    File.WriteAllText(Path.Combine(outDir, "results.json"), json.ToJsonString(TorchSide.Pretty));
    Console.WriteLine($"wrote {outDir}/results.md and results.json");
}
return 0;

int Int(string key, int fallback) => opts.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
double Dbl(string key, double fallback) => opts.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
string Str(string key, string fallback) => opts.GetValueOrDefault(key, fallback);

static Dictionary<string, string> ParseOptions(string[] args)
{
    var d = new Dictionary<string, string>();
    for (int i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) continue;
        var key = args[i][2..];
        if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) d[key] = args[++i];
        else d[key] = "";
    }
    return d;
}

static string CpuModel()
{
    try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"; }
    catch (IOException) { return "?"; }
}

static string LoadAverage()
{
    try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "?"; }
}
