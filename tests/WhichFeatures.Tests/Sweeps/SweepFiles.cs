using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>Reading a sweep's files in tests.</summary>
internal static class SweepFiles
{
    /// <summary>
    /// Every claim of results.json as "id holds criterion values" lines: what must not change between two ways of
    /// running the same plan (timestamps, wall times and notes quoting them may).
    /// </summary>
    public static string Claims(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        return string.Join("\n", doc.RootElement.GetProperty("claims").EnumerateArray().Select(c =>
            $"{c.GetProperty("id").GetString()} holds={c.GetProperty("holds").GetBoolean()} criterion={c.GetProperty("criterion").GetString()} values={c.GetProperty("values").GetRawText()}"));
    }

    /// <summary>The manifest's lines.</summary>
    public static string[] ManifestLines(string dir) => File.ReadAllLines(Path.Combine(dir, SweepFolder.ManifestFile)).Where(l => l.Length > 0).ToArray();

    /// <summary>The folder of unit <paramref name="index"/>.</summary>
    public static string UnitDir(string dir, int index)
    {
        using var doc = JsonDocument.Parse(ManifestLines(dir)[index]);
        return Path.Combine(dir, doc.RootElement.GetProperty("dir").GetString()!);
    }

    /// <summary>
    /// The real suite on the <see cref="TinyRun"/> images in <paramref name="dataDir"/> (160 generated CIFAR-10-format
    /// training images): one seed, one thread, CPU, 2 epochs of 5 steps per run, a 10-iteration offline probe, and the
    /// CC curve on SCL, UCL and the joint loss.
    /// </summary>
    public static RealRunOptions TinyRealOptions(string dataDir) => new()
    {
        DataDir = dataDir, Seeds = 1, Threads = 1, Device = DeviceChoice.Cpu,
        // A few dozen images hold no round-3 test subset (src/WhichFeatures/Data/Round3TestSubset.cs): the whole tiny test split.
        Customize = s => s.WithEveryPreset(p => p with { Dataset = DatasetRegistry.Cifar10, TrainSize = 0, TestSize = 0, Epochs = 2, BatchSize = TinyRun.BatchSize, TestSubset = TestSubsetKind.All, ExtraSeeds = 0 }) with
        {
            WarmupEpochs = 0, ProbeIterations = 10,
            // Three sibling units of one experiment (the sweep tests preempt one beside the others), whatever the CPU default trains.
            CurveLosses = [WhichFeatures.Losses.ContrastiveLossKind.Scl, WhichFeatures.Losses.ContrastiveLossKind.Ucl, WhichFeatures.Losses.ContrastiveLossKind.Joint],
        },
    };
}
