using System.Diagnostics;
using WhichFeatures.Bench.Workloads;

namespace WhichFeatures.Bench;

/// <summary>
/// Measures a workload on both sides in alternation: after an untimed warm-up on each side, <c>rounds</c> times
/// (ours for <c>seconds</c>, then PyTorch for <c>seconds</c>), each timed interval at least one call long, recording
/// the rate and the CPU other processes used during it. Alternating exposes both sides to the same neighbours.
/// </summary>
public static class Alternation
{
    /// <summary>
    /// Profiling: two of our own variants (A = <paramref name="a"/> as "ours", B = <paramref name="b"/> in the PyTorch
    /// column) in alternation; ratio &gt; 1 means A is faster.
    /// </summary>
    public static WorkloadResult MeasurePair(IWorkload a, IWorkload b, int rounds, double seconds, CpuMeter meter, TextWriter log)
    {
        for (int i = 0; i < a.Warmup; i++) { a.Step(); b.Step(); }
        var ra = new List<double>(); var rb = new List<double>(); var others = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (w, list) in new[] { (a, ra), (b, rb) })
            {
                GC.Collect();
                meter.Start();
                var sw = Stopwatch.StartNew();
                double work = 0;
                do work += w.Step(); while (sw.Elapsed.TotalSeconds < seconds);
                list.Add(work / sw.Elapsed.TotalSeconds);
                others.Add(meter.OthersShare());
            }
            log.WriteLine($"  {a.Id} round {r + 1}/{rounds}: A {ra[^1],10:G4} | B {rb[^1],10:G4} {a.Unit}/s (others {100 * others[^1]:F0}% CPU)");
        }
        return new WorkloadResult(a.Id + " A/B", a.Label, a.Unit + "/s", ra, rb, others);
    }

    /// <summary>Runs the rounds and returns the rates.</summary>
    /// <param name="workload">Our side (its <see cref="IWorkload.TorchSetup"/> describes the PyTorch side).</param>
    /// <param name="torch">The PyTorch process, or null to measure ours only.</param>
    /// <param name="rounds">Number of rounds.</param>
    /// <param name="seconds">Time budget per side per round.</param>
    /// <param name="meter">CPU meter (counts the PyTorch child as ours).</param>
    /// <param name="log">Progress lines.</param>
    public static WorkloadResult Measure(IWorkload workload, TorchSide? torch, int rounds, double seconds, CpuMeter meter, TextWriter log)
    {
        for (int i = 0; i < workload.Warmup; i++) workload.Step();
        if (torch is not null && workload.TorchSetup is { } setup) torch.Setup(setup);
        else torch = null;
        var ours = new List<double>();
        var theirs = new List<double>();
        var others = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            GC.Collect();
            meter.Start();
            var sw = Stopwatch.StartNew();
            double work = 0;
            int calls = 0;
            do { work += workload.Step(); calls++; } while (sw.Elapsed.TotalSeconds < seconds);
            double elapsed = sw.Elapsed.TotalSeconds;
            others.Add(meter.OthersShare());
            ours.Add(work / elapsed);
            string line = $"  {workload.Id} round {r + 1}/{rounds}: ours {work / elapsed,10:G4} {workload.Unit}/s ({calls} calls, others {100 * others[^1]:F0}% CPU)";
            if (torch is not null)
            {
                meter.Start();
                var (tw, ts, tc) = torch.Run(seconds);
                others.Add(meter.OthersShare());
                theirs.Add(tw / ts);
                line += $" | torch {tw / ts,10:G4} {workload.Unit}/s ({tc} calls, others {100 * others[^1]:F0}% CPU)";
            }
            log.WriteLine(line);
        }
        return new WorkloadResult(workload.Id, workload.Label, workload.Unit + "/s", ours, theirs, others);
    }
}
