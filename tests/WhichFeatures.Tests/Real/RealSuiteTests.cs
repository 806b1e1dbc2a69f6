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
    public void Suite_lists_the_five_findings_and_rejects_unknown_names()
    {
        Assert.Equal(["fs-embedding-mnist-randbit", "fs-embedding-cifar10-randbit", "digits-on-backgrounds", "cc-over-training", "joint-loss"], RealSuite.All.Select(e => e.Name));
        Assert.Same(RealSuite.All[3], RealSuite.Get("CC-over-training"));
        var ex = Assert.Throws<UserInputException>(() => RealSuite.Get("nope"));
        Assert.Contains("joint-loss", ex.Message);
        var ids = RealSuite.All.SelectMany(e => e.ClaimIds).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_joint_loss_runs_its_extra_seeds_after_the_suite_s_and_the_curve_must_keep_scl()
    {
        using var dir = DataTestFiles.NewTempDir();
        var o = new RealRunOptions { DataDir = dir.Path, BaseSeed = 10 };
        var s = RealScale.For(o);
        static IEnumerable<int> SclSeeds(IEnumerable<RealRunSpec> runs) => runs.Where(r => r.Config.Loss == WhichFeatures.Losses.ContrastiveLossKind.Scl).Select(r => r.Config.Seed);
        // The suite's 3 seeds and the preset's 2 extra continue one list; the other experiments keep the suite's.
        Assert.Equal(Enumerable.Range(10, 5), SclSeeds(new JointLossExperiment().Runs(o, s)));
        Assert.All(FsEmbeddingRandBitExperiment.Mnist.Runs(o, s).GroupBy(r => r.Tag), g => Assert.Equal(Enumerable.Range(10, 3), g.Select(r => r.Config.Seed)));
        Assert.Equal(Enumerable.Range(10, 4), SclSeeds(new JointLossExperiment().Runs(o with { Seeds = 2 }, s)));
        Assert.Equal(Enumerable.Range(10, 2), SclSeeds(new JointLossExperiment().Runs(o with { Seeds = 2 }, s with { Joint = s.Joint with { ExtraSeeds = 0 } })));
        // The CC curve is decided on SCL's: a schedule without it is refused, naming the experiment.
        var noScl = s with { CurveLosses = [WhichFeatures.Losses.ContrastiveLossKind.Ucl] };
        Assert.Contains("cc-over-training: the curve losses must include SCL", Assert.Throws<UserInputException>(() => new CcOverTrainingExperiment().Runs(o, noScl)).Message);
    }

    [Fact]
    public void Schedules_keep_the_claims_sizes_and_quick_is_smaller_than_default()
    {
        using var dir = DataTestFiles.NewTempDir();
        var cpu = RealScale.For(new RealRunOptions { DataDir = dir.Path });
        var quick = RealScale.For(new RealRunOptions { DataDir = dir.Path, Quick = true });
        var paper = RealScale.For(new RealRunOptions { DataDir = dir.Path, Scale = ScaleKind.Paper });
        foreach (var s in new[] { cpu, quick, paper })
        {
            Assert.Subset(s.EmbeddingSizes.ToHashSet(), new HashSet<int> { 4, 128 });
            Assert.Subset(s.Cifar10EmbeddingSizes.ToHashSet(), new HashSet<int> { 4, 128 });
            Assert.Contains(4, s.ReferenceSizes);
            Assert.Contains(4, s.Cifar10ReferenceSizes);
            Assert.Contains(WhichFeatures.Losses.ContrastiveLossKind.Scl, s.CurveLosses);
            Assert.Contains(0.0, s.Betas);
            Assert.Contains(1.0, s.Betas);
            Assert.True(s.MnistRandBit.RandBits > 0 && s.Cifar10RandBit.RandBits > 0);
            Assert.True(s.Joint.RandBits > 0 || DatasetRegistry.HasOwnSubclasses(s.Joint.Dataset), "the joint loss's hierarchy: superclasses with RandBit, or a built-in hierarchy (the CIFAR-10 pairs)");
            Assert.True(s.Curve.Superclasses && s.Joint.Superclasses);
        }
        Assert.Equal("resnet18", paper.Model);
        Assert.Equal("convn", cpu.Model);
        Assert.True(ImageEpochs(quick) * 4 < ImageEpochs(cpu), $"quick {ImageEpochs(quick)} vs default {ImageEpochs(cpu)} image-epochs");
        var longer = RealScale.For(new RealRunOptions { DataDir = dir.Path, EpochScale = 2, RandBits = 3 });
        Assert.All(longer.Presets().Zip(cpu.Presets()), x => Assert.Equal(2 * x.Second.Preset.Epochs, x.First.Preset.Epochs));
        Assert.Equal(3, longer.MnistRandBit.RandBits);
        Assert.Equal(0, longer.Curve.RandBits);   // --randbits replaces k only where the preset has bits
    }

    /// <summary>Training images x epochs of the whole suite per seed, counted from the schedule independently of the experiments' code.</summary>
    private static long ImageEpochs(RealSchedule s)
    {
        static long Cost(RunPreset p, int runs) => (long)runs * p.Epochs * p.TrainSize;
        return Cost(s.MnistRandBit, s.EmbeddingSizes.Length + s.ReferenceSizes.Length) + Cost(s.Cifar10RandBit, s.Cifar10EmbeddingSizes.Length + s.Cifar10ReferenceSizes.Length) + Cost(s.Digits, s.Augmentations.Length)
             + Cost(s.Curve, s.CurveLosses.Length) + Cost(s.Joint, s.Betas.Append(s.JointBeta).Distinct().Count()) + (s.Cifar10BarReference is { } bar ? Cost(bar, 1) : 0);
    }

    [Theory]
    // means, per-seed values: the gap is compared with twice the larger sample std (n - 1 denominator)
    [InlineData(new[] { 0.093, 0.100 }, new[] { 0.099, 0.106 }, true)]     // gap 0.006, std 0.005 -> inside
    [InlineData(new[] { 0.20, 0.22 }, new[] { 0.30, 0.32 }, false)]        // gap 0.10, std 0.014 -> outside
    [InlineData(new[] { 0.5, 0.5 }, new[] { 0.5, 0.5 }, false)]            // no gap, no spread: 0 < 0 is false
    public void Seed_gap_counts_only_gaps_larger_than_twice_the_larger_std(double[] a, double[] b, bool inside)
    {
        // SeedGap.Clear is the rule of evidence: a gap counts only outside the spread, in the claimed direction.
        Assert.Equal(!inside && Stat.Of(b).Mean > Stat.Of(a).Mean, SeedGap.Clear(Stat.Of(a), Stat.Of(b)));
        Assert.False(SeedGap.Clear(Stat.Of(b), Stat.Of(a)) && Stat.Of(b).Mean > Stat.Of(a).Mean);
    }

    [Fact]
    public void Invalid_options_are_user_errors_naming_the_option()
    {
        using var dir = DataTestFiles.NewTempDir();
        Assert.Contains("--seeds", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, Seeds = 0 }.Validate()).Message);
        Assert.Contains("--scale", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, Scale = (ScaleKind)7 }.Validate()).Message);
        Assert.Contains("--scale gpu", Assert.Throws<UserInputException>(() => ScaleKinds.All.Parse("gpu")).Message);
        Assert.Contains("--data-dir", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = Path.Combine(dir.Path, "missing") }.Validate()).Message);
        Assert.Contains("--randbits", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, RandBits = 0 }.Validate()).Message);
        Assert.Contains("--epoch-scale", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, EpochScale = 0 }.Validate()).Message);
        Assert.Contains("imagenet", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, Dataset = "imagenet" }.Validate()).Message);
        Assert.Contains("--superclass-map", Assert.Throws<UserInputException>(() => new RealRunOptions { DataDir = dir.Path, SuperclassMap = Path.Combine(dir.Path, "none.json") }.Validate()).Message);
    }

    [Fact]
    public void A_superclass_map_for_the_joint_loss_needs_a_dataset_without_its_own_subclasses()
    {
        using var dir = DataTestFiles.NewTempDir();
        string map = Path.Combine(dir.Path, "map.json");
        File.WriteAllText(map, "{\"a\": [0, 1, 2, 3, 4], \"b\": [5, 6, 7, 8, 9]}");
        var withMap = new RealRunOptions { DataDir = dir.Path, SuperclassMap = map };
        // On the CIFAR-10 pairs (the default) the map would be ignored: refused, naming the option and the way out.
        var message = Assert.Throws<UserInputException>(() => new JointLossExperiment().Runs(withMap, RealScale.For(withMap))).Message;
        Assert.Contains("--superclass-map", message);
        Assert.Contains("--dataset", message);
        // With --dataset the map is applied to every run.
        var onCifar = withMap with { Dataset = DatasetRegistry.Cifar10 };
        Assert.All(new JointLossExperiment().Runs(onCifar, RealScale.For(onCifar)), r => Assert.Equal(map, r.Config.SuperclassMap));
    }

    [Fact]
    public void Cifar100_is_detected_only_when_both_binary_files_exist()
    {
        using var dir = DataTestFiles.NewTempDir();
        Assert.False(JointLossExperiment.Cifar100Present(dir.Path));
        var folder = Path.Combine(dir.Path, Cifar100Loader.FolderName);
        DataTestFiles.Write(Path.Combine(folder, "train.bin"), [0], gz: true);
        Assert.False(JointLossExperiment.Cifar100Present(dir.Path));
        DataTestFiles.Write(Path.Combine(folder, "test.bin"), [0], gz: false);
        Assert.True(JointLossExperiment.Cifar100Present(dir.Path));
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
        DataDir = dataDir, Seeds = seeds, BaseSeed = 7, Threads = 2, Device = DeviceChoice.Cpu,
        Customize = s => s.WithEveryPreset(p => p with { TrainSize = 128, TestSize = 80, Epochs = 1, BatchSize = 64, RandBits = p.RandBits > 0 ? 4 : 0, ExtraSeeds = 0 }) with
        {
            WarmupEpochs = 0, EmbeddingSizes = [4, 64, 128], Cifar10EmbeddingSizes = [4, 64, 128], ReferenceSizes = [4], Cifar10ReferenceSizes = [4], Betas = [0, 0.5, 1], JointBeta = 0.5, ProbeIterations = 10,
            Curve = s.Curve with { TrainSize = 128, TestSize = 80, Epochs = 2, BatchSize = 64, ExtraSeeds = 0 },
        },
    };

    private static string Shared()
    {
        var dir = DataTestFiles.SharedData();
        Skip.If(dir is null || !Directory.Exists(Path.Combine(dir, "cifar-10-batches-bin")), "shared/data with cifar-10-batches-bin not found (set WHICHFEATURES_SHARED)");
        return dir!;
    }

    private static Stat S(ClaimResult c, string key) => c.Values.Single(kv => kv.Key == key).Value;
    private static double V(ClaimResult c, string key) => S(c, key).Mean;

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

    [SkippableTheory]
    [InlineData("fs-embedding-mnist-randbit")]
    [InlineData("fs-embedding-cifar10-randbit")]
    public void Fs_embedding_randbit_runs_and_decides_its_ordering_from_its_numbers(string name)
    {
        var dir = Shared();
        Skip.If(!Directory.Exists(Path.Combine(dir, "mnist")), "shared/data/mnist not found");
        var experiment = (FsEmbeddingRandBitExperiment)RealSuite.Get(name);
        var o = Tiny(dir);
        var r = RealSuite.Run(experiment, o, RealScale.For(o), NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        Assert.Equal(experiment.ClaimId, c.Id);
        var stats = new FsEmbeddingRandBitExperiment.EmbeddingSizeStats(S(c, "class_probe_p4_k4"), S(c, "class_probe_p128_k4"), S(c, "class_probe_p4_k0"));
        Assert.Equal(FsEmbeddingRandBitExperiment.SuppressedSmallRecoveredLarge.Holds(stats), c.Holds);   // decided on these values
        Assert.All(new[] { stats.P4, S(c, "class_probe_p64_k4"), stats.P128, stats.Reference4 }, a => Assert.InRange(a.Mean, 0, 1));   // p = 64 swept and reported, not compared
        var table = r.Tables.Single(t => t.Name == name.Replace('-', '_'));
        Assert.Equal(4, table.Rows.Count);   // 3 sizes with k = 4 and the k = 0 reference at p = 4
        // The embedding size is the projection output the loss reads: every run's config says so.
        var bars = r.Tables.Single(t => t.Name == name.Replace('-', '_') + "_learning_bars");
        // CIFAR-10 adds its learning-bar reference: convn-wide without bits, at its own images (128 here).
        string[] barRuns = name.Contains("cifar10") ? ["ucl-p4-k0", "ucl-p128-k0-convn-wide-128-bar"] : ["ucl-p4-k0"];
        Assert.Equal(barRuns, bars.Rows.Select(row => (string)row[0]));
        Assert.Equal(barRuns, r.Tables.Single(t => t.Name.EndsWith("_baselines", StringComparison.Ordinal)).Rows.Select(row => (string)row[0]).Where(t => t.Contains("-k0")).Distinct());
        if (name.Contains("cifar10"))
            foreach (var (p, paper) in PaperNumbers.RandBitAccuracyByEmbedding)
                Assert.Equal(paper, V(c, $"paper_class_accuracy_p{p}"));
        CheckWritten(r, c, 1);
    }

    [SkippableFact]
    public void Fs_embedding_sweeps_the_projection_output_and_probes_the_encoder()
    {
        using var dir = DataTestFiles.NewTempDir();
        var o = new RealRunOptions { DataDir = dir.Path };
        var s = RealScale.For(o);
        var runs = FsEmbeddingRandBitExperiment.Mnist.Runs(o, s);
        Assert.Equal((s.EmbeddingSizes.Length + s.ReferenceSizes.Length) * o.Seeds, runs.Count);
        Assert.All(runs, r => Assert.Null(r.Config.Embedding));   // the encoder keeps its own width
        Assert.Equal(s.EmbeddingSizes.Concat(s.ReferenceSizes).SelectMany(p => Enumerable.Repeat(p, o.Seeds)), runs.Select(r => r.Config.ProjectionDim));
        Assert.All(runs, r => Assert.Equal(0, r.Config.ValidationSize));
        Assert.All(FsEmbeddingRandBitExperiment.Mnist.Runs(o with { Validation = true }, s), r => Assert.Equal(s.MnistRandBit.ValidationSize, r.Config.ValidationSize));
        Assert.All(FsEmbeddingRandBitExperiment.Mnist.Runs(o with { Dataset = "fashion-mnist" }, s), r => Assert.Equal(DatasetRegistry.FashionMnist, r.Config.Dataset));
    }

    // CIFAR-10's learning bars come from a wider encoder on more images (RealScale: ConvN plateaus below bar 2); its
    // sweep, and every run a criterion reads, stay ConvN at the preset's size.
    [Fact]
    public void Cifar10_sweeps_convn_and_takes_its_learning_bars_from_a_wide_reference_without_bits()
    {
        using var dir = DataTestFiles.NewTempDir();
        var o = new RealRunOptions { DataDir = dir.Path };
        var s = RealScale.For(o);
        var runs = FsEmbeddingRandBitExperiment.Cifar10.Runs(o, s);
        var bar = runs.Where(r => r.Tag.EndsWith("-bar", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ucl-p128-k0-convn-wide-20000-bar"], bar.Select(r => r.Tag).Distinct());
        Assert.Equal([0, 1, 2], bar.Select(r => r.Config.Seed));
        Assert.All(bar, r => Assert.Equal(("convn-wide", 20000, 10, 0, 128, 128), (r.Config.Model, r.Config.TrainSize, r.Config.Epochs, r.Config.RandBits, r.Config.ProjectionDim, r.Config.BatchSize)));
        var sweep = runs.Except(bar).ToList();
        Assert.Equal(["ucl-p4-k5", "ucl-p128-k5", "ucl-p4-k0"], sweep.Select(r => r.Tag).Distinct());
        Assert.All(sweep, r => Assert.Equal(("convn", s.Cifar10RandBit.TrainSize, s.Cifar10RandBit.Epochs), (r.Config.Model, r.Config.TrainSize, r.Config.Epochs)));
        Assert.All(runs, r => Assert.Equal(TestSubsetKind.Round9, r.Config.TestSubset));
        Assert.DoesNotContain(FsEmbeddingRandBitExperiment.Mnist.Runs(o, s), r => r.Tag.EndsWith("-bar", StringComparison.Ordinal));
        Assert.Null(RealScale.For(o with { Scale = ScaleKind.Paper }).Cifar10BarReference);
    }

    [SkippableFact]
    public void Cc_over_training_records_fresh_offline_probes_per_epoch_and_decides_the_drop_from_them()
    {
        var dir = Shared();
        Skip.If(!Directory.Exists(Path.Combine(dir, "mnist")), "shared/data/mnist not found");
        var tiny = Tiny(dir, seeds: 2);
        // The default trains SCL alone; a contrast loss, given first, is shown after it.
        var o = tiny with { Customize = s => tiny.Customize!(s) with { CurveLosses = [WhichFeatures.Losses.ContrastiveLossKind.Ucl, WhichFeatures.Losses.ContrastiveLossKind.Scl] } };
        var r = RealSuite.Run(new CcOverTrainingExperiment(), o, RealScale.For(o), NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        var curves = r.Tables.Single(t => t.Name == "cc_over_training_curves");
        Assert.Equal(["scl", "ucl"], curves.Rows.Select(row => (string)row[0]).Distinct());   // SCL first
        Assert.Equal(2 * 2 * 2, curves.Rows.Count);   // 2 losses x 2 seeds x 2 epochs
        // Recompute SCL's peak and last values from the per-epoch table (projection column): the claim must use exactly these.
        int column = CcOverTrainingExperiment.ClaimLayer == "projection" ? 4 : 3;
        var scl = curves.Rows.Where(row => (string)row[0] == "scl").GroupBy(row => (int)row[1])
            .Select(g => g.OrderBy(row => (int)row[2]).Select(row => (double)row[column]).ToArray()).ToArray();
        Assert.Equal(2, scl.Length);   // decided over both seeds
        var stats = new CcOverTrainingExperiment.CurveStats(Stat.Of(scl.Select(c => c.Max())), Stat.Of(scl.Select(c => c[^1])));
        Assert.Equal(stats.Peak.Mean, V(c, $"scl_subclass_peak_{CcOverTrainingExperiment.ClaimLayer}"), 12);
        Assert.Equal(stats.Last.Mean, V(c, $"scl_subclass_last_{CcOverTrainingExperiment.ClaimLayer}"), 12);
        Assert.Equal(CcOverTrainingExperiment.SubclassRisesThenFalls.Holds(stats), c.Holds);
        Assert.All(curves.Rows, row => Assert.All(new[] { 3, 4, 5, 6 }, i => Assert.InRange((double)row[i], 0, 1)));
        var baselines = r.Tables.Single(t => t.Name == "cc_over_training_baselines");
        Assert.Equal(2 * 2 * 2, baselines.Rows.Count);   // 2 losses x 2 seeds x (class, subclass)
        Assert.All(baselines.Rows, row =>
        {
            Assert.Equal((string)row[2] == "class" ? 0.5 : 0.1, (double)row[5], 12);
            // The shared verdict (Verdicts/CollapseVerdict): collapsed only when the best reader lies below random init by the margin.
            Assert.Contains((string)row[9], new[] { "collapsed", "not collapsed", "undecided", "not judged" });
            if ((string)row[9] == "collapsed") Assert.True((double)row[7] < (double)row[8] - WhichFeatures.Verdicts.VerdictThresholds.Margin);
        });
        CheckWritten(r, c, 2);
    }

    [SkippableFact]
    public void Joint_loss_compares_three_losses_and_sweeps_beta()
    {
        var dir = Shared();
        Skip.If(!Directory.Exists(Path.Combine(dir, "mnist")), "shared/data/mnist not found");
        var o = Tiny(dir);
        var r = RealSuite.Run(new JointLossExperiment(), o, RealScale.For(o), NullProgress.Instance);
        var c = r.Claims.Single(x => x.Id == JointLossExperiment.ClaimId);
        var stats = (new JointLossExperiment.LossStats(S(c, "subclass_scl"), S(c, "subclass_ucl"), S(c, "subclass_joint")),
                     new JointLossExperiment.LossStats(S(c, "class_scl"), S(c, "class_ucl"), S(c, "class_joint")));
        Assert.Equal(JointLossExperiment.JointKeepsBoth.Holds(stats), c.Holds);   // decided on the reported values
        Assert.Equal(3, r.Tables.Single(t => t.Name == $"joint_loss_{DatasetRegistry.Cifar10Pairs}_beta_sweep").Rows.Count);
        var vsPaper = r.Tables.Single(t => t.Name == "joint_loss_vs_paper");
        Assert.Equal(new[] { "scl", "ucl", "joint" }.Select(n => PaperNumbers.Cifar100RandBitSubclass[n]), vsPaper.Rows.Where(row => (string)row[0] == DatasetRegistry.Cifar10Pairs).Select(row => (double)row[6]));
        // Both layers were probed at the last epoch: the criterion's (projection) and the other, reported.
        Assert.All(new[] { "subclass_scl", "class_joint", "subclass_ucl_encoder", "class_joint_encoder" }, key => Assert.InRange(V(c, key), 0.0, 1.0));
        if (!JointLossExperiment.Cifar100Present(o.DataDir)) Assert.Contains("CIFAR-100 is not in the data folder", c.Notes);
        CheckWritten(r, c, 1);
    }

    [SkippableFact]
    public void Digits_on_backgrounds_probes_digit_and_background_per_augmentation()
    {
        var dir = Shared();
        Skip.If(!Directory.Exists(Path.Combine(dir, "mnist")), "shared/data/mnist not found");
        var r = RealSuite.Run(new DigitsOnBackgroundsExperiment(), Tiny(dir), RealScale.For(Tiny(dir)), NullProgress.Instance);
        var c = Assert.Single(r.Claims);
        var stats = new DigitsOnBackgroundsExperiment.AugmentationStats(S(c, "digit_probe_weak"), S(c, "digit_probe_simclr"), S(c, "digit_probe_strong"));
        Assert.Equal(DigitsOnBackgroundsExperiment.BetterAugmentationLearnsDigit.Holds(stats), c.Holds);
        Assert.All(new[] { stats.Weak.Mean, stats.Simclr.Mean, stats.Strong.Mean, V(c, "background_probe_weak") }, a => Assert.InRange(a, 0, 1));
        CheckWritten(r, c, 1);
    }
}

/// <summary>The progress wrapper names each training run.</summary>
public class PrefixedProgressTests
{
    [Fact]
    public void Task_names_get_the_prefix_and_totals_pass_through()
    {
        var rec = new RecordingProgress();
        using (new PrefixedProgress(rec, "joint-loss scl seed 3").Start("train SCL convnet", 42)) { }
        using (new PrefixedProgress(rec, "").Start("plain", 1)) { }
        Assert.Equal([("joint-loss scl seed 3: train SCL convnet", 42.0), ("plain", 1.0)], rec.Tasks);
    }
}
