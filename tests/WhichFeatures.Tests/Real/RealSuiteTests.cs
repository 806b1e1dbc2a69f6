using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Real;

/// <summary>Options, schedules and registry of the real-data suite (no training).</summary>
public class RealSuiteOptionsTests
{
    [Fact]
    public void Suite_lists_the_four_findings_and_rejects_unknown_names()
    {
        Assert.Equal(["fs-embedding-randbit", "cc-over-training", "joint-randbit", "digits-on-backgrounds"], RealSuite.All.Select(e => e.Name));
        Assert.Same(RealSuite.All[1], RealSuite.Get("CC-over-training"));
        var ex = Assert.Throws<UserInputException>(() => RealSuite.Get("nope"));
        Assert.Contains("joint-randbit", ex.Message);
        var ids = RealSuite.All.SelectMany(e => e.ClaimIds).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Schedules_keep_the_claims_sizes_and_quick_is_smaller_than_default()
    {
        using var dir = DataTestFiles.NewTempDir();
        var cpu = RealScale.For(new RealRunOptions { DataDir = dir.Path });
        var quick = RealScale.For(new RealRunOptions { DataDir = dir.Path, Quick = true });
        var paper = RealScale.For(new RealRunOptions { DataDir = dir.Path, Scale = RealScale.Paper });
        foreach (var s in new[] { cpu, quick, paper })
        {
            Assert.Subset(s.EmbeddingSizes.ToHashSet(), new HashSet<int> { 4, 64, 128 });
            Assert.Contains(0.0, s.Betas);
            Assert.Contains(1.0, s.Betas);
        }
        Assert.Equal("resnet18", paper.Model);
        Assert.Equal("convnet", cpu.Model);
        Assert.True(ImageEpochs(quick) * 5 < ImageEpochs(cpu), $"quick {ImageEpochs(quick)} vs default {ImageEpochs(cpu)} image-epochs");
        var longer = RealScale.For(new RealRunOptions { DataDir = dir.Path, EpochScale = 2, RandBits = 5 });
        Assert.Equal(2 * cpu.Epochs, longer.Epochs);
        Assert.Equal(2 * cpu.CurveEpochs, longer.CurveEpochs);
        Assert.Equal(5, longer.RandBits);
    }

    /// <summary>Training images x epochs the whole suite processes (2 seeds), counted from the schedule independently of the experiments' code.</summary>
    private static long ImageEpochs(RealSchedule s)
    {
        long runs = (s.EmbeddingSizes.Length + s.ReferenceSizes.Length) * (long)s.Epochs + 3L * s.CurveEpochs + s.Betas.Length * (long)s.Epochs + 3L * s.Epochs;
        return 2 * runs * s.TrainSize;
    }

    [Theory]
    // means, per-seed values: the gap is compared with twice the larger sample std (n - 1 denominator)
    [InlineData(new[] { 0.093, 0.100 }, new[] { 0.099, 0.106 }, true)]     // gap 0.006, std 0.005 -> inside
    [InlineData(new[] { 0.20, 0.22 }, new[] { 0.30, 0.32 }, false)]        // gap 0.10, std 0.014 -> outside
    [InlineData(new[] { 0.5, 0.5 }, new[] { 0.5, 0.5 }, false)]            // no gap, no spread: 0 < 0 is false
    public void Seed_spread_marks_gaps_smaller_than_twice_the_larger_std(double[] a, double[] b, bool inside)
    {
        Assert.Equal(inside, RealRunner.WithinSeedSpread(Stat.Of(a), Stat.Of(b)));
        Assert.Equal(inside, RealRunner.WithinSeedSpread(Stat.Of(b), Stat.Of(a)));
    }

    [Fact]
    public void Invalid_options_are_user_errors_naming_the_option()
    {
        using var dir = DataTestFiles.NewTempDir();
        Assert.Contains("--seeds", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, Seeds = 0 }.Validate()).Message);
        Assert.Contains("--scale", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, Scale = "gpu" }.Validate()).Message);
        Assert.Contains("--data-dir", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = Path.Combine(dir.Path, "missing") }.Validate()).Message);
        Assert.Contains("--randbits", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, RandBits = 0 }.Validate()).Message);
        Assert.Contains("--epoch-scale", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, EpochScale = 0 }.Validate()).Message);
    }

    [Fact]
    public void Cifar100_is_detected_only_when_both_binary_files_exist()
    {
        using var dir = DataTestFiles.NewTempDir();
        Assert.False(JointRandBitExperiment.Cifar100Present(dir.Path));
        var folder = Path.Combine(dir.Path, Cifar100Loader.FolderName);
        DataTestFiles.Write(Path.Combine(folder, "train.bin"), [0], gz: true);
        Assert.False(JointRandBitExperiment.Cifar100Present(dir.Path));
        DataTestFiles.Write(Path.Combine(folder, "test.bin"), [0], gz: false);
        Assert.True(JointRandBitExperiment.Cifar100Present(dir.Path));
    }
}

/// <summary>
/// Each real-data experiment end to end on the shared CIFAR-10 / MNIST files at CI size (a hundred-odd images,
/// 1-2 epochs; 2 seeds for the curve experiment, 1 elsewhere to stay fast): it runs, decides its claim consistently with its own numbers and the report files are
/// written. The paper's orderings are NOT asserted at this size.
/// </summary>
[Collection("torch")]
public class RealExperimentEndToEndTests
{
    private static RealRunOptions Tiny(string dataDir, int seeds = 1) => new()
    {
        DataDir = dataDir, Seeds = seeds, BaseSeed = 7, Threads = 2, Device = "cpu",
        Customize = s => s with
        {
            TrainSize = 128, TestSize = 80, Epochs = 1, CurveEpochs = 2, BatchSize = 64, WarmupEpochs = 0, RandBits = 4,
            EmbeddingSizes = [4, 64, 128], ReferenceSizes = [], Betas = [0, 0.5, 1], ProbeIterations = 10,
        },
    };

    private static string Shared()
    {
        var dir = DataTestFiles.SharedData();
        Skip.If(dir is null || !Directory.Exists(Path.Combine(dir, "cifar-10-batches-bin")), "shared/data with cifar-10-batches-bin not found (set WHICHFEATURES_SHARED)");
        return dir!;
    }

    private static double V(ClaimResult c, string key) => c.Values.Single(kv => kv.Key == key).Value.Mean;

    private static void CheckWritten(ExperimentResult r, ClaimResult claim, int seeds)
    {
        Assert.All(claim.Values.Where(kv => !kv.Key.StartsWith("paper_")), kv =>
        {
            Assert.Equal(seeds, kv.Value.PerSeed.Count);
            Assert.Equal(kv.Value.PerSeed.Average(), kv.Value.Mean, 12);
        });
        Assert.All(claim.Plots, p => Assert.Contains(r.Plots, q => q.FileName == p));
        using var dir = DataTestFiles.NewTempDir();
        var path = RunWriter.Write(dir.Path, "real", [r], new { test = true });
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var written = json.RootElement.GetProperty("claims").EnumerateArray().Single(c => c.GetProperty("id").GetString() == claim.Id);
        Assert.Equal(claim.Holds, written.GetProperty("holds").GetBoolean());
        foreach (var t in r.Tables)
        {
            var lines = File.ReadAllLines(Path.Combine(dir.Path, t.Name + ".csv"));
            Assert.Equal(t.Rows.Count + 1, lines.Length);
        }
        foreach (var p in r.Plots) Assert.True(new FileInfo(Path.Combine(dir.Path, p.FileName)).Length > 1000, p.FileName);
    }

    [SkippableFact]
    public void Fs_embedding_randbit_runs_and_decides_its_ordering_from_its_numbers()
    {
        var tiny = Tiny(Shared());
        var o = tiny with { Customize = s => tiny.Customize!(s) with { ReferenceSizes = [4] } };
        var r = new FsEmbeddingRandBitExperiment().Run(o, NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        Assert.Equal(FsEmbeddingRandBitExperiment.ClaimId, c.Id);
        double a4 = V(c, "class_probe_p4_k4"), a64 = V(c, "class_probe_p64_k4"), a128 = V(c, "class_probe_p128_k4");
        Assert.Equal(FsEmbeddingRandBitExperiment.LargerEmbeddingRecovers.Holds(new(a4, a64, a128)), c.Holds);   // decided on these values
        Assert.All(new[] { a4, a64, a128 }, a => Assert.InRange(a, 0, 1));
        // Every paper number reaches the claim under its own size, and the note quotes them in size order.
        foreach (var (p, paper) in PaperNumbers.RandBitAccuracyByEmbedding)
            Assert.Equal(paper, V(c, $"paper_class_accuracy_p{p}"));
        Assert.Contains(string.Join(" / ", PaperNumbers.RandBitAccuracyByEmbedding.OrderBy(kv => kv.Key).Select(kv => kv.Value.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture))), c.Notes);
        var table = r.Tables.Single(t => t.Name == "fs_embedding_randbit");
        Assert.Equal(4, table.Rows.Count);   // 3 sizes with k = 4 and the k = 0 reference at p = 4
        Assert.InRange(V(c, "class_probe_p4_k0"), 0, 1);
        CheckWritten(r, c, 1);
    }

    [SkippableFact]
    public void Cc_over_training_records_a_curve_per_epoch_and_decides_the_drop_from_it()
    {
        var o = Tiny(Shared(), seeds: 2);
        var r = new CcOverTrainingExperiment().Run(o, NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        var curves = r.Tables.Single(t => t.Name == "cc_over_training_curves");
        Assert.Equal(3 * 2 * 2, curves.Rows.Count);   // 3 losses x 2 seeds x 2 epochs
        // Recompute SCL's mean (peak - final) from the per-epoch table: the claim must use exactly these numbers.
        var scl = curves.Rows.Where(row => (string)row[0] == "scl").GroupBy(row => (int)row[1])
            .Select(g => { var acc = g.OrderBy(row => (int)row[2]).Select(row => (double)row[3]).ToArray(); return acc.Max() - acc[^1]; }).ToArray();
        Assert.Equal(2, scl.Length);   // decided over both seeds
        Assert.Equal(scl.Average(), V(c, "scl_peak_minus_final"), 12);
        Assert.Equal(CcOverTrainingExperiment.SubclassRisesThenFalls.Holds(scl.Average()), c.Holds);
        Assert.All(curves.Rows, row => Assert.InRange((double)row[3], 0, 1));
        CheckWritten(r, c, 2);
    }

    [SkippableFact]
    public void Joint_randbit_compares_three_losses_and_sweeps_beta()
    {
        var o = Tiny(Shared());
        var r = new JointRandBitExperiment().Run(o, NullProgress.Instance);
        var c = r.Claims.Single(x => x.Id == JointRandBitExperiment.ClaimId);
        var means = (new JointRandBitExperiment.LossMeans(V(c, "subclass_scl"), V(c, "subclass_ucl"), V(c, "subclass_joint")),
                     new JointRandBitExperiment.LossMeans(V(c, "class_scl"), V(c, "class_ucl"), V(c, "class_joint")));
        Assert.Equal(JointRandBitExperiment.JointKeepsBoth.Holds(means), c.Holds);   // decided on the reported values
        Assert.Equal(3, r.Tables.Single(t => t.Name == "joint_randbit_cifar10_beta_sweep").Rows.Count);
        var vsPaper = r.Tables.Single(t => t.Name == "joint_randbit_vs_paper");
        Assert.Equal(new[] { "scl", "ucl", "joint" }.Select(n => PaperNumbers.Cifar100RandBitSubclass[n]), vsPaper.Rows.Where(row => (string)row[0] == "cifar10").Select(row => (double)row[6]));
        if (!JointRandBitExperiment.Cifar100Present(o.DataDir)) Assert.Contains("CIFAR-100 is not in the data folder", c.Notes);
        CheckWritten(r, c, 1);
    }

    [SkippableFact]
    public void Digits_on_backgrounds_probes_digit_and_background_per_augmentation()
    {
        var dir = Shared();
        Skip.If(!Directory.Exists(Path.Combine(dir, "mnist")), "shared/data/mnist not found");
        var r = new DigitsOnBackgroundsExperiment().Run(Tiny(dir), NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        double weak = V(c, "digit_probe_weak"), simclr = V(c, "digit_probe_simclr"), strong = V(c, "digit_probe_strong");
        Assert.Equal(DigitsOnBackgroundsExperiment.BetterAugmentationLearnsDigit.Holds(new(weak, simclr, strong)), c.Holds);
        Assert.All(new[] { weak, simclr, strong, V(c, "background_probe_weak") }, a => Assert.InRange(a, 0, 1));
        CheckWritten(r, c, 1);
    }
}

/// <summary>The progress wrapper names each training run.</summary>
public class PrefixedProgressTests
{
    private sealed class Recorder : IRunProgress
    {
        public List<(string Name, double Total)> Started { get; } = [];
        public IProgressTask Start(string name, double total) { Started.Add((name, total)); return NullProgress.Instance; }
    }

    [Fact]
    public void Task_names_get_the_prefix_and_totals_pass_through()
    {
        var rec = new Recorder();
        using (new PrefixedProgress(rec, "joint-randbit scl seed 3").Start("train SCL convnet", 42)) { }
        using (new PrefixedProgress(rec, "").Start("plain", 1)) { }
        Assert.Equal([("joint-randbit scl seed 3: train SCL convnet", 42.0), ("plain", 1.0)], rec.Started);
    }
}
