using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace WhichFeatures.Bench;

/// <summary>Formats the results as the Markdown tables of docs/benchmarks.md and as JSON.</summary>
public static class BenchReport
{
    private static string F(double v) => double.IsNaN(v) ? "-" : v >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>The throughput table: medians, spread, runs, ratio, target, others' CPU.</summary>
    /// <param name="results">Measured workloads.</param>
    public static string Table(IReadOnlyList<WorkloadResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| id | workload | unit | ours: median (min-max) | PyTorch: median (min-max) | ours / PyTorch | target | met | runs | others' CPU median / max |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var o = r.OursSummary; var t = r.TorchSummary;
            bool hasTarget = BenchCatalog.Targets.TryGetValue(r.Id, out var target);
            string met = !hasTarget || double.IsNaN(r.Ratio) ? "" : r.Ratio >= target ? "yes" : "**no**";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Id} | {r.Label} | {r.Unit} | {F(o.Median)} ({F(o.Min)}-{F(o.Max)}) | {F(t.Median)} ({F(t.Min)}-{F(t.Max)}) | **{F(r.Ratio)}x** | {(hasTarget ? $">= {target:G3}x" : "")} | {met} | {o.Runs} / {t.Runs} | {100 * r.OthersCpuMedian:F0}% / {100 * r.OthersCpuMax:F0}% |");
        }
        return sb.ToString();
    }

    /// <summary>Roofline lines for workloads 1 and 2 against the measured sgemm peak of each side.</summary>
    /// <param name="results">Measured workloads (uses sgemm, w1, w2 when present).</param>
    /// <param name="sgemmFlopPerCall">FLOP of one sgemm call.</param>
    public static string Roofline(IReadOnlyList<WorkloadResult> results, double sgemmFlopPerCall)
    {
        var sb = new StringBuilder();
        var sgemm = results.FirstOrDefault(r => r.Id == "sgemm");
        double peakOurs = sgemm is null ? double.NaN : sgemm.OursSummary.Median * sgemmFlopPerCall / 1e9;
        double peakTorch = sgemm is null ? double.NaN : sgemm.TorchSummary.Median * sgemmFlopPerCall / 1e9;
        sb.AppendLine("| workload | model FLOP per image (train) | ours GFLOP/s | % of our sgemm peak | PyTorch GFLOP/s | % of its sgemm peak |");
        sb.AppendLine("|---|---|---|---|---|---|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| sgemm (peak) | - | {F(peakOurs)} | 100% | {F(peakTorch)} | 100% |");
        foreach (var (id, model) in new[] { ("w1", "convnet"), ("w2", "resnet18") })
        {
            var r = results.FirstOrDefault(x => x.Id == id);
            if (r is null) continue;
            double flop = Flops.Train(model);
            double ours = r.OursSummary.Median * flop / 1e9, torch = r.TorchSummary.Median * flop / 1e9;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {id} {model} | {flop / 1e6:F1} MFLOP (fwd {Flops.Forward(model) / 1e6:F1}) | {F(ours)} | {100 * ours / peakOurs:F0}% | {F(torch)} | {100 * torch / peakTorch:F0}% |");
        }
        return sb.ToString();
    }

    /// <summary>The memory table (workload 7).</summary>
    /// <param name="rows">(label, ours JSON, PyTorch JSON or null) per probe.</param>
    public static string Memory(IReadOnlyList<(string Label, JsonObject Ours, JsonObject? Torch)> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| probe | ours | PyTorch | ours / PyTorch |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var (label, ours, torch) in rows)
        {
            double o = ours["peak_rss_mb"]!.GetValue<double>();
            double t = torch?["peak_rss_mb"]?.GetValue<double>() ?? double.NaN;
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {label}: peak RSS (MB) | {o:F0} | {(double.IsNaN(t) ? "-" : t.ToString("F0", CultureInfo.InvariantCulture))} | {(double.IsNaN(t) ? "-" : (o / t).ToString("F2", CultureInfo.InvariantCulture) + " (target <= 1.2)")} |");
            var rs = ours["rss_mb"]!.AsObject();
            if (rs.Count >= 2)
            {
                var pts = rs.Select(kv => (Step: int.Parse(kv.Key, CultureInfo.InvariantCulture), Mb: kv.Value!.GetValue<double>())).OrderBy(p => p.Step).ToArray();
                var tp = torch?["rss_mb"]?.AsObject().Select(kv => (Step: int.Parse(kv.Key, CultureInfo.InvariantCulture), Mb: kv.Value!.GetValue<double>())).OrderBy(p => p.Step).ToArray();
                string Growth((int Step, double Mb)[] p) => $"{p[0].Mb:F0} -> {p[^1].Mb:F0} MB ({100 * (p[^1].Mb / p[0].Mb - 1):+0.0;-0.0}%)";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {label}: RSS after step {pts[0].Step} -> {pts[^1].Step} | {Growth(pts)} | {(tp is { Length: >= 2 } ? Growth(tp) : "-")} | target: ours within 10% |");
            }
        }
        return sb.ToString();
    }
}
