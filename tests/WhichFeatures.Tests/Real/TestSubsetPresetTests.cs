using WhichFeatures.Data;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Real;

/// <summary>
/// Which images each kind of real-suite run scores (docs/real-experiments.md, "Evaluation images of round 9"): the
/// default preset round 9's held-out carve of the training split, --quick the test images outside round 3's subset,
/// --validation the validation carve, the paper scale and datasets without such a subset their whole test split.
/// Planned only: nothing is loaded or trained.
/// </summary>
public class TestSubsetPresetTests
{
    private static IReadOnlyList<RealRunSpec> AllRuns(RealRunOptions o) =>
        RealSuite.All.SelectMany(e => e.Runs(o, RealScale.For(o))).ToList();

    [Fact]
    public void The_default_preset_scores_every_run_on_the_whole_round9_carve()
    {
        using var dir = DataTestFiles.NewTempDir();
        var o = new RealRunOptions { DataDir = dir.Path };
        var s = RealScale.For(o);
        var runs = AllRuns(o);
        Assert.Equal(RealSuite.All.Select(e => e.Name), runs.Select(r => r.Experiment).Distinct());
        Assert.All(runs, r =>
        {
            Assert.Equal(TestSubsetKind.Round9, r.Config.TestSubset);
            Assert.Equal(0, r.Config.TestSize);   // all of the carve
            Assert.Equal(0, r.Config.ValidationSize);
        });
        // Every preset asks for at least as many images as its dataset's carve holds.
        foreach (var (name, p) in s.Presets())
            Assert.True(p.TestSize >= Round3TestSubset.ScoredImages(TestSubsetKind.Round9, p.Dataset), $"{name}: test size {p.TestSize}");
    }

    [Fact]
    public void The_report_line_names_the_images_the_runs_score_and_superclasses_only_where_a_map_is_applied()
    {
        using var dir = DataTestFiles.NewTempDir();
        var s = RealScale.For(new RealRunOptions { DataDir = dir.Path });
        // Every preset asks for 5,000 test images; round 9's carve holds 5,000, and the runs score all of them.
        Assert.Contains("train 20000 / eval all 5000 images (the round9 carve of the training split, held out)", s.MnistRandBit.Describe());
        Assert.Contains("eval all 5000 images", s.Joint.Describe());
        Assert.StartsWith("mnist (superclasses), ", s.Curve.Describe());
        Assert.StartsWith("cifar10-pairs, ", s.Joint.Describe());   // its own class and subclass, no map
        var quick = RealScale.For(new RealRunOptions { DataDir = dir.Path, Quick = true });
        Assert.Contains($"eval {quick.MnistRandBit.TestSize} images (test images outside the round3 subset)", quick.MnistRandBit.Describe());
    }

    [Fact]
    public void A_smaller_test_size_draws_that_many_from_the_subset()
    {
        using var dir = DataTestFiles.NewTempDir();
        var o = new RealRunOptions { DataDir = dir.Path, Customize = s => s.WithEveryPreset(p => p with { TestSize = 80 }) };
        Assert.All(AllRuns(o), r => Assert.Equal((TestSubsetKind.Round9, 80), (r.Config.TestSubset, r.Config.TestSize)));
    }

    [Fact]
    public void Quick_never_reads_round3_and_validation_never_reads_the_test_split()
    {
        using var dir = DataTestFiles.NewTempDir();
        var quick = new RealRunOptions { DataDir = dir.Path, Quick = true, Seeds = 2 };
        var qs = RealScale.For(quick);
        Assert.All(AllRuns(quick), r =>
        {
            Assert.Equal(TestSubsetKind.ExceptRound3, r.Config.TestSubset);
            Assert.True(r.Config.TestSize > 0);
        });
        Assert.Equal(qs.MnistRandBit.TestSize, FsEmbeddingRandBitExperiment.Mnist.Runs(quick, qs)[0].Config.TestSize);

        foreach (var validation in new[] { new RealRunOptions { DataDir = dir.Path, Validation = true }, quick with { Validation = true } })
            Assert.All(AllRuns(validation), r =>
            {
                Assert.Equal(TestSubsetKind.All, r.Config.TestSubset);
                Assert.True(r.Config.ValidationSize > 0);
            });
    }

    [Fact]
    public void The_paper_scale_and_datasets_without_a_subset_keep_their_whole_test_split()
    {
        using var dir = DataTestFiles.NewTempDir();
        Assert.All(AllRuns(new RealRunOptions { DataDir = dir.Path, Scale = ScaleKind.Paper }), r => Assert.Equal(TestSubsetKind.All, r.Config.TestSubset));
        var fashion = new RealRunOptions { DataDir = dir.Path, Dataset = DatasetRegistry.FashionMnist };
        var runs = FsEmbeddingRandBitExperiment.Mnist.Runs(fashion, RealScale.For(fashion));
        Assert.All(runs, r => Assert.Equal((TestSubsetKind.All, RealScale.For(fashion).MnistRandBit.TestSize), (r.Config.TestSubset, r.Config.TestSize)));
        // With CIFAR-100 in the folder, the joint experiment's CIFAR-100 runs read its whole test split.
        var folder = Path.Combine(dir.Path, Cifar100Loader.FolderName);
        DataTestFiles.Write(Path.Combine(folder, "train.bin"), [0], gz: false);
        DataTestFiles.Write(Path.Combine(folder, "test.bin"), [0], gz: false);
        var o = new RealRunOptions { DataDir = dir.Path };
        var joint = new JointLossExperiment().Runs(o, RealScale.For(o));
        Assert.All(joint.Where(r => r.Config.Dataset == DatasetRegistry.Cifar100), r => Assert.Equal(TestSubsetKind.All, r.Config.TestSubset));
        Assert.Contains(joint, r => r.Config.Dataset == DatasetRegistry.Cifar100);
        Assert.All(joint.Where(r => r.Config.Dataset != DatasetRegistry.Cifar100), r => Assert.Equal(TestSubsetKind.Round9, r.Config.TestSubset));
    }
}
