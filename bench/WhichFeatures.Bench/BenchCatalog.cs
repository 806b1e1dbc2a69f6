using WhichFeatures.Bench.Workloads;
using WhichFeatures.Losses;

namespace WhichFeatures.Bench;

/// <summary>Full = the sizes docs/benchmarks.md lists; Tiny = every workload at a size that runs in well under a second (CI smoke test).</summary>
public enum BenchSize
{
    /// <summary>The full sizes (docs/benchmarks.md).</summary>
    Full,
    /// <summary>Smoke-test sizes.</summary>
    Tiny,
}

/// <summary>The benchmark workloads (1-6; 7, memory, is <see cref="MemoryProbe"/>), with their targets.</summary>
public static class BenchCatalog
{
    /// <summary>All ids in order.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["sgemm", "w1", "w2", "w3", "w4", "w5-ucl", "w5-scl", "w5-joint", "w6-minnorm", "w6-gd", "w8-mnist", "w8-cifar"];

    /// <summary>Target ratio ours / PyTorch per workload id (docs/benchmarks.md).</summary>
    public static IReadOnlyDictionary<string, double> Targets { get; } = new Dictionary<string, double>
    {
        ["w1"] = 1.0, ["w2"] = 0.95, ["w3"] = 10, ["w4"] = 2, ["w5-ucl"] = 1.0, ["w5-scl"] = 1.0, ["w5-joint"] = 1.0,
        ["w6-minnorm"] = 1.0, ["w6-gd"] = 1.0, ["w8-mnist"] = 1.2, ["w8-cifar"] = 1.2,
    };

    /// <summary>Time budget per side per round relative to the base budget (ResNet-18 steps take ~2.5 s).</summary>
    public static double TimeFactor(string id) => id switch { "w2" => 2.5, "w4" => 0, "w6-minnorm" => 1.5, _ => 1 };

    /// <summary>Creates one workload.</summary>
    /// <param name="id">An id from <see cref="Ids"/>.</param>
    /// <param name="size">Full or tiny.</param>
    /// <param name="dataDir">Folder with CIFAR-10 (workload 4 only).</param>
    /// <param name="epochLimit">Workload 4: first this many training examples (0 = all; tiny forces 64).</param>
    /// <param name="torchWorkers">Workload 4: DataLoader workers on the PyTorch side.</param>
    /// <param name="channelsLast">Our side of w1, w2, w4, w8 with NHWC input (NCHW weights, <see cref="Models.ChannelsLast"/>), the trainer's former CPU path.</param>
    public static IWorkload Create(string id, BenchSize size, string? dataDir = null, int epochLimit = 0, int torchWorkers = 2, bool channelsLast = false)
    {
        bool tiny = size == BenchSize.Tiny;
        return id switch
        {
            "sgemm" => new SgemmWorkload(tiny ? 64 : 2048),
            "w1" => new TrainStepWorkload("w1", "convnet", tiny ? 8 : 256, channelsLast),
            "w2" => new TrainStepWorkload("w2", "resnet18", tiny ? 4 : 128, channelsLast),
            "w3" => new AugmentWorkload(tiny ? 8 : 256),
            "w4" => new EpochWorkload(dataDir ?? throw new ArgumentException("workload 4 needs the CIFAR-10 folder", nameof(dataDir)),
                tiny ? 16 : 256, tiny ? 64 : epochLimit, torchWorkers, channelsLast),
            "w5-ucl" => new LossWorkload(ContrastiveLossKind.Ucl, tiny ? 16 : 512, tiny ? 8 : 128),
            "w5-scl" => new LossWorkload(ContrastiveLossKind.Scl, tiny ? 16 : 512, tiny ? 8 : 128),
            "w5-joint" => new LossWorkload(ContrastiveLossKind.Joint, tiny ? 16 : 512, tiny ? 8 : 128),
            "w6-minnorm" => new MinNormWorkload(tiny ? 40 : 1000, tiny ? 100 : 4096, tiny ? 4 : 32),
            "w6-gd" => new GradientDescentWorkload(tiny ? 20 : 100, tiny ? 100 : 2000, tiny ? 4 : 32, tiny ? 5 : 1000),
            // The real-data encoder's step (ConvN, Adam 1e-3, the batch of Chen et al.'s setting) on MNIST- and CIFAR-sized input.
            "w8-mnist" => new TrainStepWorkload("w8-mnist", "convn", tiny ? 8 : 512, channelsLast, channels: 1, side: 28, optimizer: "adam"),
            "w8-cifar" => new TrainStepWorkload("w8-cifar", "convn", tiny ? 8 : 512, channelsLast, channels: 3, side: 32, optimizer: "adam"),
            _ => throw new ArgumentException($"unknown workload {id}; expected one of {string.Join(", ", Ids)}", nameof(id)),
        };
    }

    /// <summary>The CIFAR-10 folder: <paramref name="given"/>, else $WHICHFEATURES_SHARED/data, else shared/data or ../shared/data above the program.</summary>
    /// <param name="given">A folder the user gave, or null.</param>
    public static string? FindData(string? given = null)
    {
        if (!string.IsNullOrEmpty(given)) return given;
        var env = Environment.GetEnvironmentVariable("WHICHFEATURES_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "data"))) return Path.Combine(env, "data");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var rel in new[] { Path.Combine("shared", "data"), Path.Combine("..", "shared", "data") })
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, rel));
                if (Directory.Exists(Path.Combine(candidate, "cifar-10-batches-bin"))) return candidate;
            }
        }
        return null;
    }
}
