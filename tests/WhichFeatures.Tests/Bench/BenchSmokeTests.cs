using System.Diagnostics;
using WhichFeatures.Bench;
using WhichFeatures.Bench.Workloads;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Bench;

/// <summary>
/// Keeps the benchmark from rotting: every .NET workload runs once at a tiny size, the PyTorch reference runs the
/// same tiny setups when Debian's python3-torch is installed (skipped otherwise). No timing assertions.
/// </summary>
[Collection("torch")]
public class BenchSmokeTests
{
    public static TheoryData<string> Ids() => new(BenchCatalog.Ids);

    [SkippableTheory]
    [MemberData(nameof(Ids))]
    public void EveryWorkloadRunsOnceAtTinySize(string id)
    {
        var data = BenchCatalog.FindData();
        Skip.If(id == "w4" && data is null, "../shared/data/cifar-10-batches-bin not found (set WHICHFEATURES_SHARED)");
        set_num_threads(1);
        using var w = BenchCatalog.Create(id, BenchSize.Tiny, data);
        double work = w.Step();
        double expected = w switch
        {
            TrainStepWorkload t => t.ModelName == "resnet18" ? 4 : 8,  // images per step at tiny size
            AugmentWorkload => 8,
            EpochWorkload => 64 / 16 * 16,                              // 64 examples, batch 16: 4 full steps
            _ => 1,                                                     // one call
        };
        Assert.Equal(expected, work);
        Assert.False(string.IsNullOrWhiteSpace(w.Label));
        Assert.NotNull(w.TorchSetup);
    }

    [Fact]
    public void AlternationRecordsOneRatePerRoundWithoutPyTorch()
    {
        set_num_threads(1);
        using var w = BenchCatalog.Create("w5-ucl", BenchSize.Tiny);
        var r = Alternation.Measure(w, null, rounds: 3, seconds: 0, new CpuMeter(), TextWriter.Null);
        Assert.Equal(3, r.Ours.Count);
        Assert.Empty(r.Torch);
        Assert.All(r.Ours, v => Assert.True(v > 0 && double.IsFinite(v)));
        Assert.True(double.IsNaN(r.Ratio));
        Assert.Contains("| w5-ucl |", BenchReport.Table([r]));
    }

    [Fact]
    public void SummaryHasMedianAndSpread()
    {
        var s = Summary.Of([5.0, 1.0, 3.0, 4.0]);
        Assert.Equal(3.5, s.Median);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(5.0, s.Max);
        Assert.Equal(4, s.Runs);
        Assert.Equal(100 * 4 / 3.5, s.SpreadPercent, 9);
        var paired = new WorkloadResult("x", "x", "img/s", [2.0, 4.0, 9.0], [1.0, 4.0, 3.0], []);
        Assert.Equal(4.0 / 3.0, paired.Ratio, 12);          // median 4 / median 3
        Assert.Equal(2.0, paired.PairedRatio, 12);          // per-round ratios 2, 1, 3
    }

    [Fact]
    public void FlopCountsMatchTheLiteratureAndTheModels()
    {
        // CIFAR ResNet-18 (3x3 stem, no max-pool): 0.5554 G multiply-adds in its convolutions (commonly quoted 0.56 GMAC).
        double convMacs = Flops.Layers("resnet18").Where(l => !l.Name.StartsWith("head", StringComparison.Ordinal)).Sum(l => l.Flop) / 2;
        Assert.InRange(convMacs, 555.0e6, 556.0e6);
        // The small convnet by hand: 3x3 convs 3->32 @32², 32->64 @16², 64->128 @8², 128->256 @4², head 256-256-128.
        double hand = 2.0 * 9 * (3 * 32 * 1024 + 32 * 64 * 256 + 64 * 128 * 64 + 128 * 256 * 16) + 2.0 * (256 * 256 + 256 * 128);
        Assert.Equal(hand, Flops.Forward("convnet"));
        Assert.Equal(3 * hand - 2.0 * 9 * 3 * 32 * 1024, Flops.Train("convnet"));
    }

    [Fact]
    public void MemoryProbeReportsPeakAndRequestedSteps()
    {
        var r = MemoryProbe.Run("convnet", 4, 3, [1, 3], threads: 1);
        double peak = r["peak_rss_mb"]!.GetValue<double>();
        var at = r["rss_mb"]!.AsObject();
        Assert.Equal(new[] { "1", "3" }, at.Select(kv => kv.Key).ToArray());
        Assert.All(at, kv => Assert.InRange(kv.Value!.GetValue<double>(), 1, peak + 1e-9));
    }

    [Fact]
    public void CpuMeterSeesOurOwnBusyLoopAsOurs()
    {
        var meter = new CpuMeter();
        meter.Start();
        var sw = Stopwatch.StartNew();
        double x = 0;
        while (sw.ElapsedMilliseconds < 300) x += Math.Sqrt(x + 1);
        double others = meter.OthersShare();
        Assert.True(x > 0);
        Assert.InRange(others, 0, 1);   // a share (NaN only without /proc, which Linux CI has)
    }

    [SkippableTheory]
    [InlineData("convn", 1)]
    [InlineData("convn", 3)]
    [InlineData("convnet", 3)]
    public void PyTorchTwinHasOurParameterShapesInOurOrder(string model, int channels)
    {
        var script = TorchSide.FindScript();
        Skip.If(script is null, "bench/reference/torch_bench.py not found");
        WhichFeatures.Tests.Interop.DebianPython.Require("torch", "numpy");
        var output = WhichFeatures.Tests.Interop.DebianPython.RunOk($$"""
            import importlib.util
            spec = importlib.util.spec_from_file_location("torch_bench", r"{{script}}")
            tb = importlib.util.module_from_spec(spec); spec.loader.exec_module(tb)
            m = tb.ContrastiveModel("{{model}}", cin={{channels}})
            for p in m.parameters(): print("x".join(str(d) for d in p.shape))
            """, Path.GetTempPath());
        using var ours = WhichFeatures.Models.ModelFactory.Create(new WhichFeatures.Models.ModelConfig { Name = model, InChannels = channels, Head = WhichFeatures.Models.ProjectionHeadKind.Mlp });
        var expected = ours.parameters().Select(p => string.Join("x", p.shape)).ToArray();
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [SkippableFact]
    public void PyTorchReferenceRunsTheSameTinySetups()
    {
        var why = TorchSide.Unavailable();
        Skip.If(why is not null, $"PyTorch side not available: {why}");
        var data = BenchCatalog.FindData();
        using var torch = TorchSide.Start(threads: 1);
        Assert.StartsWith("1.", torch.Info["torch"]!.GetValue<string>());
        foreach (var id in BenchCatalog.Ids)
        {
            if (id == "w4" && data is null) continue;
            using var w = BenchCatalog.Create(id, BenchSize.Tiny, data, torchWorkers: 0);
            torch.Setup(w.TorchSetup!);
            var (work, seconds, calls) = torch.Run(0);
            Assert.Equal(1, calls);
            Assert.True(work > 0 && seconds > 0, $"{id}: work {work}, seconds {seconds}");
        }
    }
}
