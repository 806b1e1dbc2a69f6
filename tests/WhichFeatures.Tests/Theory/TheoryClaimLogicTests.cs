using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;
using WhichFeatures.LinearSetting;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// Each theory experiment's summary fed hand-made per-seed results (no solving, no training): the verdict must be
/// the criterion as its sentence states it (docs/theory.md), checked here clause by clause on every seed by a naive
/// loop. Sizes, betas and solutions the criterion does not compare carry numbers that would flip the verdict if the
/// summary read them instead.
/// </summary>
public class TheoryClaimLogicTests
{
    private static readonly TheoryRunOptions Options = new() { Seeds = 3 };

    private static ClaimResult Claim<TUnit>(ITheoryUnits<TUnit> e, IEnumerable<TUnit> units, string id, TheoryRunOptions? o = null) where TUnit : notnull =>
        e.Summarise(o ?? Options, units.ToList()).Claims.Single(c => c.Id == id);

    private static Stat Value(ClaimResult claim, string key) => claim.Values.Single(kv => kv.Key == key).Value;

    // ---------------------------------------------------------------- CC-1 / CC-2

    [Theory]
    // loss W*, loss W* + alpha Delta, test subclass acc of W*, of W* + alpha Delta, subclass / class weight of W*; the third seed as given, the other two pass
    [InlineData(-2.0, -2.0, 0.60, 0.97, 0.05)]
    [InlineData(-2.0, -2.000001, 0.60, 0.97, 0.05)]   // the loss moved down by 5e-7 relative: not the same loss
    [InlineData(-2.0, -1.999999, 0.60, 0.97, 0.05)]   // moved up
    [InlineData(-2.0, -2.0, 0.66, 0.97, 0.05)]        // W* not collapsed: both claims fail
    [InlineData(-2.0, -2.0, 0.60, 0.94, 0.05)]        // W* + alpha Delta not separated
    [InlineData(-2.0, -2.0, 0.60, 0.97, 0.11)]        // W*'s subclass weight above 0.1 x its class weight
    [InlineData(1e9, 1e9 + 1, 0.60, 0.97, 0.05)]      // relative difference exactly 1e-9: not below it
    public void Cc_minimizers_decide_both_claims_on_every_seed(double lossStar, double lossDelta, double starAcc, double deltaAcc, double weightRatio)
    {
        static CcMinimizersExperiment.SeedResult Seed(double ls, double ld, double sa, double da, double wr) =>
            new(ls, ld, 1.0, new ModelMetrics { TestSubclassAccuracy = sa, ClassWeight = 3.0, SubclassWeight = 3.0 * wr },
                new ModelMetrics { TestSubclassAccuracy = da }, 0.0);
        // The second seed sits exactly on every bar (0.65, 0.95, 0.1 x the class weight), which still holds.
        var seeds = new[] { Seed(-1.5, -1.5, 0.5, 1.0, 0.0), Seed(-1.0, -1.0, 0.65, 0.95, 0.1), Seed(lossStar, lossDelta, starAcc, deltaAcc, weightRatio) };
        var e = new CcMinimizersExperiment();
        bool cc1 = true, cc2 = true;
        foreach (var s in seeds)
        {
            double rel = Math.Abs(s.LossDelta - s.LossStar) / Math.Abs(s.LossStar);
            cc1 &= rel < 1e-9 && s.Delta.TestSubclassAccuracy >= 0.95 && s.Star.TestSubclassAccuracy <= 0.65;
            cc2 &= s.Star.SubclassWeight <= 0.1 * s.Star.ClassWeight && s.Star.TestSubclassAccuracy <= 0.65;
        }
        var c1 = Claim(e, seeds, "CC-1");
        Assert.Equal(cc1, c1.Holds);
        Assert.Equal(cc2, Claim(e, seeds, "CC-2").Holds);
        Assert.Equal(Math.Abs(lossDelta - lossStar) / Math.Abs(lossStar), Value(c1, "relative_loss_difference").PerSeed[2], 15);
    }

    // ---------------------------------------------------------------- CC-3

    [Theory]
    // the third seed's peak, final accuracy and final Gram distance; the other seeds pass
    [InlineData(0.95, 0.60, 0.005)]
    [InlineData(0.89, 0.60, 0.005)]    // never reaches 0.90
    [InlineData(0.95, 0.76, 0.005)]    // drops only 0.19
    [InlineData(0.95, 0.60, 0.0101)]   // ends too far from the min-norm solution
    public void Cc_dynamics_decides_on_each_seeds_peak_final_value_and_final_distance(double peak, double final, double distance)
    {
        int[] steps = [0, 10, 100, 1000];
        CcDynamicsExperiment.SeedResult Seed(double pk, int peakAt, double fin, double dist)
        {
            // Step 0 low, the peak at step index peakAt, a middle point, and the final point; the distance falls to dist,
            // with a larger distance earlier (only the final one counts).
            var acc = new[] { 0.5, 0.7, 0.7, fin };
            acc[peakAt] = pk;
            return new(steps.Select((s, i) => new CcDynamicsExperiment.TracePoint(s, new ModelMetrics { TestSubclassAccuracy = acc[i], NoiseWeight = 1 }, i == steps.Length - 1 ? dist : 0.5)).ToList(),
                new ModelMetrics { TestSubclassAccuracy = 0.5 });
        }
        // The second seed sits exactly on all three bars, which still holds.
        var seeds = new[] { Seed(0.99, 1, 0.5, 0.001), Seed(0.90, 2, 0.90 - 0.20, 0.01), Seed(peak, 2, final, distance) };
        bool expected = seeds.All(s =>
        {
            double pk = s.Trace.Max(t => t.Metrics.TestSubclassAccuracy), fin = s.Trace[^1].Metrics.TestSubclassAccuracy;
            return pk >= 0.90 && fin <= pk - 0.20 && s.Trace[^1].Distance <= 0.01;
        });
        var claim = Claim(new CcDynamicsExperiment(), seeds, "CC-3");
        Assert.Equal(expected, claim.Holds);
        Assert.Equal([10.0, 100.0, 100.0], Value(claim, "peak_step").PerSeed);
        Assert.Equal([0.99, 0.90, peak], Value(claim, "peak_test_subclass_acc").PerSeed);
        Assert.Equal([0.5, 0.90 - 0.20, final], Value(claim, "final_test_subclass_acc").PerSeed);
        Assert.Equal(distance, Value(claim, "final_gram_distance_to_min_norm").PerSeed[2]);
    }

    // ---------------------------------------------------------------- FS-1

    [Theory]
    // at p0 (the smallest size) the third seed's class share and accuracy, and at the remedy size its accuracy
    [InlineData(0.08, 0.80, 0.97)]
    [InlineData(0.11, 0.80, 0.97)]    // share at p0 above 0.2 x the remedy's 0.5
    [InlineData(0.08, 0.93, 0.97)]    // accuracy gap 0.04 < 0.05
    [InlineData(0.08, 0.80, 0.94)]    // the remedy itself below 0.95
    public void Fs_embedding_compares_the_smallest_size_with_the_remedy_size_on_every_seed(double share0, double acc0, double accRemedy)
    {
        var o = Options;
        int[] closedPs = FsEmbeddingExperiment.ClosedFormSizes(o), gdPs = FsEmbeddingExperiment.GdSizes(o);
        int p0 = FsEmbeddingExperiment.Sweep(o)[0], remedy = FsEmbeddingExperiment.RemedyP(o);
        Assert.True(closedPs.Length > 2);   // sizes the criterion does not compare exist
        FsEmbeddingExperiment.SeedResult Seed(double s0, double a0, double aR)
        {
            // Every other size fails the criterion in either role, so reading it in place of p0 or the remedy flips a holding verdict.
            ModelMetrics At(int p) => p == p0 ? new() { ClassShare = s0, TestClassAccuracy = a0 }
                : p == remedy ? new() { ClassShare = 0.5, TestClassAccuracy = aR }
                : new() { ClassShare = 0.01, TestClassAccuracy = 0.999 };
            return new(closedPs.Select(At).ToList(), gdPs.Select(p => new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = 0.5 }).ToList(), gdPs.Select(p => (double)p / 100).ToList());
        }
        // The second seed sits exactly on every bar (share 0.2 x 0.5, accuracy 0.95 - 0.05, remedy 0.95), which still holds.
        var seeds = new[] { Seed(0.0, 0.5, 1.0), Seed(0.2 * 0.5, 0.95 - 0.05, 0.95), Seed(share0, acc0, accRemedy) };
        bool expected = seeds.All(s =>
        {
            var small = s.ClosedForm[Array.IndexOf(closedPs, p0)];
            var rem = s.ClosedForm[Array.IndexOf(closedPs, remedy)];
            return small.ClassShare <= 0.2 * rem.ClassShare && rem.TestClassAccuracy >= 0.95 && small.TestClassAccuracy <= rem.TestClassAccuracy - 0.05;
        });
        var claim = Claim(new FsEmbeddingExperiment(), seeds, "FS-1");
        Assert.Equal(expected, claim.Holds);
        Assert.Equal([0.0, 0.2 * 0.5, share0], Value(claim, $"class_share_p{p0}").PerSeed);
        Assert.Equal([1.0, 0.95, accRemedy], Value(claim, $"test_class_acc_p{remedy}").PerSeed);
    }

    // ---------------------------------------------------------------- FS-2

    [Theory]
    // at the largest size of the sweep, the third seed's imperfect share / accuracy and perfect accuracy (perfect share 0.4)
    [InlineData(0.05, 0.90, 0.97)]
    [InlineData(0.09, 0.90, 0.97)]    // share above 0.2 x 0.4
    [InlineData(0.05, 0.97, 0.97)]    // imperfect not lower
    [InlineData(0.05, 0.90, 0.94)]    // perfect augmentation below 0.95
    public void Fs_augmentation_needs_the_suppression_at_every_size_and_seed(double share, double imperfectAcc, double perfectAcc)
    {
        var o = Options;
        int n = FsAugmentationExperiment.Config(o, perfect: false).N;
        var ps = FsAugmentationExperiment.Sweep(o, n);
        Assert.True(ps.Length > 1);
        FsAugmentationExperiment.SeedResult Seed(double s, double ia, double pa)
        {
            // imperfect first, then perfect; within each, one entry per size. Only the last size carries the case.
            var imperfect = ps.Select((p, i) => i == ps.Length - 1 ? new ModelMetrics { ClassShare = s, TestClassAccuracy = ia } : new ModelMetrics { ClassShare = 0.01, TestClassAccuracy = 0.6 });
            var perfect = ps.Select((p, i) => i == ps.Length - 1 ? new ModelMetrics { ClassShare = 0.4, TestClassAccuracy = pa } : new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = 0.99 });
            var gd = imperfect.Concat(perfect).ToList();
            // The spectral min-norm entries fail every clause: the verdict is on GD.
            return new(gd, gd.Select(_ => new ModelMetrics { ClassShare = 0.9, TestClassAccuracy = 0.1 }).ToList());
        }
        // The second seed sits exactly on the share and accuracy bars, which still holds.
        var seeds = new[] { Seed(0.0, 0.5, 1.0), Seed(0.2 * 0.4, 0.94, 0.95), Seed(share, imperfectAcc, perfectAcc) };
        bool expected = seeds.All(s => Enumerable.Range(0, ps.Length).All(i =>
        {
            var (imp, perf) = (s.Gd[i], s.Gd[ps.Length + i]);
            return imp.ClassShare <= 0.2 * perf.ClassShare && imp.TestClassAccuracy < perf.TestClassAccuracy && perf.TestClassAccuracy >= 0.95;
        }));
        var claim = Claim(new FsAugmentationExperiment(), seeds, "FS-2");
        Assert.Equal(expected, claim.Holds);
        Assert.Equal([0.0, 0.2 * 0.4, share], Value(claim, $"p{ps[^1]}_class_share_imperfect").PerSeed);
        Assert.Equal([1.0, 0.95, perfectAcc], Value(claim, $"p{ps[^1]}_test_class_acc_perfect").PerSeed);
    }

    // ---------------------------------------------------------------- JOINT

    /// <summary>
    /// Betas 0 (UCL), 0.3, 0.6, 1 (SCL) are on the grid. <paramref name="works03"/> / <paramref name="works06"/>: whether
    /// that beta keeps class and subclass on the third seed (on the others both do, 0.3 exactly at the 0.95 class bar and
    /// 0.6 exactly at the 0.90 subclass bar). Joint class share: <paramref name="share03"/> at 0.3, 0.5 at 0.6; UCL's share
    /// is 0.1 (exactly 0.2 x 0.5) and its class accuracy <paramref name="uclAcc"/>.
    /// </summary>
    [Theory]
    [InlineData(true, true, 0.5, 0.65, 0.80, 0.90, false)]
    [InlineData(true, true, 0.3, 0.65, 0.80, 0.90, false)]    // the smallest working beta (0.3) has too large a share for UCL's to be 0.2 x it
    [InlineData(true, true, 0.3, 0.65, 0.80, 0.96, false)]    // ... even though 0.6 has the better worst accuracy
    [InlineData(false, true, 0.3, 0.65, 0.80, 0.90, false)]   // 0.3 fails on one seed, so 0.6 is the joint beta and its share is fine
    [InlineData(false, false, 0.5, 0.65, 0.80, 0.90, false)]  // no beta works on every seed
    [InlineData(true, true, 0.5, 0.66, 0.80, 0.90, false)]    // SCL does not collapse
    [InlineData(true, true, 0.5, 0.65, 0.95, 0.90, false)]    // UCL's class accuracy equals the joint loss's: not lower
    [InlineData(false, true, 0.5, 0.65, 0.94, 0.90, true)]    // UCL itself keeps class and subclass: beta 0 is not a joint loss (0.6 is)
    public void Joint_takes_the_smallest_beta_that_works_on_every_seed(bool works03, bool works06, double share03, double sclSubclass, double uclAcc, double sub06, bool uclWorks)
    {
        var o = Options with { Beta = null };
        var grid = JointExperiment.Betas(o);
        IReadOnlyList<ModelMetrics> Seed(bool w03, bool w06) => grid.Select(b =>
        {
            if (b == 0) return new ModelMetrics { ClassShare = 0.1, TestClassAccuracy = uclWorks ? 0.95 : uclAcc, TestSubclassAccuracy = 0.99 };
            if (b == 1) return new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = 0.99, TestSubclassAccuracy = sclSubclass };
            if (Math.Abs(b - 0.3) < 1e-9) return new ModelMetrics { ClassShare = share03, TestClassAccuracy = w03 ? 0.95 : 0.94, TestSubclassAccuracy = 0.95 };
            if (Math.Abs(b - 0.6) < 1e-9) return new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = 0.97, TestSubclassAccuracy = w06 ? sub06 : 0.89 };
            return new ModelMetrics { ClassShare = 0.5, TestClassAccuracy = 0.5, TestSubclassAccuracy = 0.5 };   // never works
        }).ToList();
        Assert.Contains(grid, g => Math.Abs(g - 0.3) < 1e-9);
        Assert.Contains(grid, g => Math.Abs(g - 0.6) < 1e-9);
        var seeds = new[] { Seed(true, true), Seed(true, true), Seed(works03, works06) };

        static bool Works(ModelMetrics m) => m.TestClassAccuracy >= 0.95 && m.TestSubclassAccuracy >= 0.90;
        int? chosen = null;
        for (int j = 0; j < grid.Length && chosen is null; j++)
            if (grid[j] > 0 && grid[j] < 1 && seeds.All(s => Works(s[j]))) chosen = j;
        int ucl = Array.IndexOf(grid, 0.0), scl = Array.IndexOf(grid, 1.0);
        bool expected = chosen is { } jb && seeds.All(s =>
            s[scl].TestSubclassAccuracy <= 0.65 && s[ucl].ClassShare <= 0.2 * s[jb].ClassShare && s[ucl].TestClassAccuracy < s[jb].TestClassAccuracy && Works(s[jb]));

        var claim = Claim(new JointExperiment(), seeds, "JOINT", o);
        Assert.Equal(expected, claim.Holds);
        // Without a working beta the values report the inner beta with the best worst-case accuracy over seeds and labels.
        int shown = chosen ?? Enumerable.Range(0, grid.Length).Where(j => grid[j] > 0 && grid[j] < 1)
            .MaxBy(j => seeds.Min(s => Math.Min(s[j].TestClassAccuracy, s[j].TestSubclassAccuracy)));
        Assert.Contains(claim.Values, kv => kv.Key == $"joint_beta{grid[shown]}_test_easy_acc");
    }

    // ---------------------------------------------------------------- TOY

    [Fact]
    public void Toy_holds_on_the_computed_numbers_and_not_when_any_stated_number_is_off()
    {
        var e = new ToyExperiment();
        var t = ToyExperiment.Compute();
        // The slide's weight applied to the inputs by hand: the numbers the sentence states.
        double Dot(double[,] x, int row) { double s = 0; for (int j = 0; j < 8; j++) s += x[row, j] * ToyExperiment.SlideWeight[j]; return s; }
        Assert.Equal([0.5, 0.5], new[] { Dot(ToyExperiment.TrainInputs, 0), Dot(ToyExperiment.TrainInputs, 1) });
        Assert.Equal([1.5, -0.5], new[] { Dot(ToyExperiment.TestInputs, 0), Dot(ToyExperiment.TestInputs, 1) });
        Assert.True(Claim(e, [t], "TOY").Holds);

        double[] Off(double[] v, int i, double by) { var c = (double[])v.Clone(); c[i] += by; return c; }
        foreach (var wrong in new[]
        {
            t with { SlideTrain = Off(t.SlideTrain, 0, 1e-9) }, t with { SlideTrain = Off(t.SlideTrain, 1, -1e-9) },
            t with { SlideTest = Off(t.SlideTest, 0, 1e-9) }, t with { SlideTest = Off(t.SlideTest, 1, -1e-9) },
            t with { MinNormWeight = Off(t.MinNormWeight, 1, 1e-300) },
        })
            Assert.False(Claim(e, [wrong], "TOY").Holds);
        Assert.True(Claim(e, [t with { SlideTest = Off(t.SlideTest, 1, 1e-13) }], "TOY").Holds);   // within the 1e-12 tolerance
    }
}
