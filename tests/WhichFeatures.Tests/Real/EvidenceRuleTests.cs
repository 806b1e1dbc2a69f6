using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Experiments;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Real;

/// <summary>
/// The rule of evidence (<see cref="SeedGap"/>), the learning bars (<see cref="LearningBar"/>) and the criterion
/// plumbing, on hand-made numbers chosen so that each comparison sits exactly on its boundary or on one side of it.
/// </summary>
public class EvidenceRuleTests
{
    [Fact]
    public void The_gap_is_measured_against_the_larger_of_the_two_spreads()
    {
        var narrow = Stat.Of([0.49, 0.50, 0.51]);    // std 0.01
        var wide = Stat.Of([0.51, 0.56, 0.61]);      // std 0.05, mean 0.56: gap 0.06
        Assert.Equal(0.10, SeedGap.Margin(narrow, wide), 12);
        Assert.Equal(0.10, SeedGap.Margin(wide, narrow), 12);
        Assert.False(SeedGap.Clear(narrow, wide));   // 0.06 < 2 x 0.05 (with the smaller spread, 0.02, it would count)
        Assert.True(SeedGap.Clear(narrow, Stat.Of([0.56, 0.61, 0.66])));   // gap 0.11 > 0.10
    }

    [Fact]
    public void The_gap_sentence_states_both_means_the_gap_the_margin_and_the_verdict()
    {
        var low = Stat.Of([0.19, 0.20, 0.21]);
        var high = Stat.Of([0.39, 0.40, 0.41]);
        Assert.Equal("B 0.4000 vs A 0.2000: gap 0.2000, needed > 0.0200 (shown)", SeedGap.Describe("A", low, "B", high));
        Assert.Equal("A 0.2000 vs B 0.4000: gap -0.2000, needed > 0.0200 (not shown)", SeedGap.Describe("B", high, "A", low));
    }

    [Fact]
    public void The_bars_accept_a_gain_or_a_share_exactly_at_the_bar()
    {
        // Random init 0.75: the bar is half its error, 0.125 (all exact in binary), so 0.875 is exactly on it.
        Assert.True(new LearningBar("class", "x", Stat.Of([0.875]), Stat.Of([0.75])).BeatsRandomInit);
        double atShare = LearningBar.LiteratureFraction * LearningBar.Literature(DatasetRegistry.Mnist)!.Value;
        Assert.True(new LearningBar("class", DatasetRegistry.Mnist, Stat.Of([atShare]), Stat.Of([0.0])).ReachesLiterature);
        Assert.False(new LearningBar("class", DatasetRegistry.Mnist, Stat.Of([atShare - 1e-9]), Stat.Of([0.0])).ReachesLiterature);
    }

    [Theory]
    [InlineData(0.95, 0.60, DatasetRegistry.Mnist, true)]      // +0.35 and above 0.539
    [InlineData(0.70, 0.60, DatasetRegistry.Mnist, false)]     // above 0.539 but only +0.10
    [InlineData(0.50, 0.30, DatasetRegistry.Cifar10, false)]   // +0.20 but below 0.544
    [InlineData(0.30, 0.29, DatasetRegistry.Cifar10, false)]   // neither
    public void A_reference_clears_only_when_both_bars_hold(double trained, double randomInit, string dataset, bool clears)
    {
        var bar = new LearningBar("class", dataset, Stat.Of([trained]), Stat.Of([randomInit]));
        Assert.Equal(clears, bar.Clears);
        Assert.Equal(bar.BeatsRandomInit && bar.ReachesLiterature, bar.Clears);
        var sentence = bar.Describe("ucl-p4-k0");
        Assert.StartsWith($"learning bars of ucl-p4-k0 (class): {RealRunner.Fixed4(trained)} vs random init {RealRunner.Fixed4(randomInit)}", sentence);
        Assert.Contains(bar.BeatsRandomInit ? "+0.1500: met)" : "+0.1500: NOT met)", sentence);
        Assert.Contains($"= {RealRunner.Fixed4(LearningBar.LiteratureFraction * LearningBar.Literature(dataset)!.Value)} ({(bar.ReachesLiterature ? "met" : "NOT met")})", sentence);
    }

    [Fact]
    public void The_bars_of_a_configuration_read_its_runs_probes_and_random_init_baselines()
    {
        static RealRunSummary Run(int seed, double probe, double randomInit) =>
            new("ucl-p4-k0", seed, new TrainConfig { Dataset = DatasetRegistry.Cifar10, Seed = seed }, [],
                new Dictionary<string, double> { ["class"] = probe }, new Dictionary<string, double> { ["class"] = 1.0 }, 0, 0)
            {
                Baselines = new Dictionary<string, ProbeScore> { ["class"] = new("class", 10, 1.0, probe) { RandomInit = randomInit } },
            };
        var bar = LearningBar.Of([Run(0, 0.70, 0.30), Run(1, 0.80, 0.40)], "class");
        Assert.Equal(DatasetRegistry.Cifar10, bar.Dataset);
        Assert.Equal(0.75, bar.Trained.Mean, 12);
        Assert.Equal(0.35, bar.RandomInit.Mean, 12);
        Assert.True(bar.Clears);

        var table = LearningBar.Table("bars", [("ucl-p4-k0", bar), ("ucl-p4-k0-weak", new LearningBar("class", "digits-on-backgrounds", Stat.Of([0.2]), Stat.Of([0.5]))),
            ("cifar-weak", new LearningBar("class", DatasetRegistry.Cifar10, Stat.Of([0.5]), Stat.Of([0.3])))]);
        Assert.Equal(["run", "label", "dataset", "probe_mean", "probe_std", "random_init_mean", "required_gain", "beats_random_init",
            "literature", "literature_fraction", "reaches_literature", "clears"], table.Columns);
        Assert.Equal(new object[] { "ucl-p4-k0", "class", DatasetRegistry.Cifar10 }, table.Rows[0].Take(3));
        Assert.Equal(0.9074, (double)table.Rows[0][8]);
        Assert.Equal(["yes", "yes", "yes"], new[] { table.Rows[0][7], table.Rows[0][10], table.Rows[0][11] });
        Assert.True(double.IsNaN((double)table.Rows[1][8]));   // no published number
        Assert.Equal(["no", "yes", "no"], new[] { table.Rows[1][7], table.Rows[1][10], table.Rows[1][11] });
        Assert.Equal(["yes", "no", "no"], new[] { table.Rows[2][7], table.Rows[2][10], table.Rows[2][11] });   // +0.20 but below 0.544
        Assert.EndsWith("(needs +0.1500: NOT met), no published number for this dataset",
            new LearningBar("digit", "digits-on-backgrounds", Stat.Of([0.2]), Stat.Of([0.5])).Describe("ucl-weak"));
    }

    [Fact]
    public void A_criterion_states_its_thresholds_needs_every_value_and_holds_on_every_input_only_when_all_hold()
    {
        var lo = new Threshold("lo", 0.5);
        var who = new Placeholder("who");
        var above = new Criterion<double>($"above {lo} for {who}", (c, x) => x > c[lo]);
        Assert.Contains("needs a value for {who}", Assert.Throws<ArgumentException>(() => above.Sentence()).Message);
        Assert.Equal("above 0.50 for 3", above.Sentence((who, 3)));
        Assert.Contains("has no {other}", Assert.Throws<ArgumentException>(() => above.Sentence((who, 3), (new Placeholder("other"), 4))).Message);
        Assert.Equal(0.5, above[lo]);
        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => above[new Threshold("nope", 1)]).Message);
        Assert.Throws<KeyNotFoundException>(() => above[lo with { Value = 0.6 }]);   // same name, another number: not the criterion's own
        Assert.Throws<ArgumentException>(() => new Criterion<double>($"between {lo} and {lo with { Value = 0.6 }}", (c, x) => x > c[lo]));
        Assert.True(above.HoldsOnEvery([0.6, 0.7]));
        Assert.False(above.HoldsOnEvery([0.6, 0.4]));
    }

    // A field read before it is set (declared after the criterion) is null: an error, not a hole that vanishes.
    [Fact]
    public void A_null_threshold_or_placeholder_in_a_sentence_throws()
    {
        Threshold? threshold = null;
        Placeholder? placeholder = null;
        Assert.Throws<ArgumentNullException>(() => new Criterion<double>($"above {threshold!}", (_, _) => true));
        Assert.Throws<ArgumentNullException>(() => new Criterion<double>($"for {placeholder!}", (_, _) => true));
    }
}
