using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WhichFeatures.Data;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Real;

/// <summary>
/// The report shows the joint-loss finding as the paper does (src/WhichFeatures/Experiments/Real/JointLossExperiment.cs):
/// a table of subclass and class accuracy for SCL, UCL and the joint loss beside the slide's numbers, and the beta
/// sweep as a figure with seed-std error bars, both recomputed here from hand-made run summaries (no training), each
/// beta, seed and layer with its own numbers: the criterion's layer (the schedule's, the projection output at CPU
/// scale) is read, the other layer is reported.
/// </summary>
public class JointReportTests
{
    private static readonly RealRunOptions Options = new() { DataDir = AppContext.BaseDirectory, Seeds = 3 };

    /// <summary>The joint loss's seeds: the suite's 3 and the preset's 2 extra.</summary>
    private static int Seeds => RealRunner.SeedCount(Options, RealScale.For(Options).Joint);

    /// <summary>A made-up accuracy at the criterion's layer: different for every label, beta and seed.</summary>
    private static double Accuracy(string label, double beta, int seedIndex) => label == LabelKeys.Subclass
        ? 0.30 + 0.10 * beta + 0.011 * seedIndex * (1 + beta)
        : 0.62 - 0.05 * beta * beta + 0.017 * seedIndex * (2 - beta);

    /// <summary>The other layer's made-up accuracy: far from the criterion layer's, so reading the wrong one shows.</summary>
    private static double OtherLayerAccuracy(string label, double beta, int seedIndex) => 0.9 - Accuracy(label, beta, seedIndex) / 2;

    private static double BetaOf(RealRunSpec spec) => spec.Config.Loss switch
    {
        ContrastiveLossKind.Scl => 1, ContrastiveLossKind.Ucl => 0, _ => spec.Config.Beta,
    };

    private static (double Mean, double Std) MeanStd(string label, double beta)
    {
        var v = Enumerable.Range(0, Seeds).Select(i => Accuracy(label, beta, i)).ToArray();
        double mean = v.Sum() / v.Length;
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    private static (ExperimentResult Result, RealSchedule Schedule, IReadOnlyList<RealRunSpec> Specs) Summarised()
    {
        var e = new JointLossExperiment();
        var s = RealScale.For(Options);
        Assert.Equal(OfflineProbeCurve.ProjectionLayer, s.JointLayer);
        var specs = e.Runs(Options, s);
        var runs = specs.Select(x =>
        {
            int seed = x.Config.Seed - Options.BaseSeed;
            var labels = new[] { LabelKeys.Subclass, LabelKeys.Class };
            var encoder = labels.ToDictionary(l => l, l => OtherLayerAccuracy(l, BetaOf(x), seed));
            var offline = labels.ToDictionary(l => OfflineProbeCurve.Key(OfflineProbeCurve.ProjectionLayer, l), l => Accuracy(l, BetaOf(x), seed));
            foreach (var l in labels) offline[OfflineProbeCurve.Key(OfflineProbeCurve.EncoderLayer, l)] = encoder[l];
            return new RealRunSummary(x.Tag, x.Config.Seed, x.Config, [new EpochMetrics { Epoch = 1, OfflineTestAccuracy = offline }], encoder, encoder, 10, 100);
        }).ToList();
        return (e.Summarise(Options, s, runs), s, specs);
    }

    [Fact]
    public void The_claim_s_table_holds_scl_ucl_and_joint_beside_the_slide()
    {
        var (result, s, _) = Summarised();
        var claim = Assert.Single(result.Claims);
        var table = Assert.Single(claim.Tables);
        Assert.Equal(["loss", "subclass, ours", "subclass, std over seeds", "subclass, slide", "class, ours", "class, std over seeds", "class, slide"], table.Columns);
        Assert.Equal(["SCL", "UCL", "joint (beta 0.75)"], table.Rows.Select(r => r.Label));
        foreach (var (row, loss, beta) in table.Rows.Zip(new[] { ("scl", 1.0), ("ucl", 0.0), ("joint", s.JointBeta) }, (r, l) => (r, l.Item1, l.Item2)))
        {
            var (sub, subStd) = MeanStd(LabelKeys.Subclass, beta);
            var (cls, clsStd) = MeanStd(LabelKeys.Class, beta);
            double[] expected = [sub, subStd, PaperNumbers.Cifar100RandBitSubclass[loss], cls, clsStd, PaperNumbers.Cifar100RandBitClass[loss]];
            Assert.Equal(expected.Length, row.Values.Count);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], row.Values[i], 12);
        }
        Assert.Equal([0.281, 0.341, 0.357], table.Rows.Select(r => r.Values[2]));   // the slide: subclass 28.1 / 34.1 / 35.7
        Assert.Equal([0.611, 0.523, 0.639], table.Rows.Select(r => r.Values[5]));   // class 61.1 / 52.3 / 63.9
    }

    /// <summary>
    /// REAL-JOINT's criterion sentence written by hand from a plain template: each <c>{name}</c> replaced by its value
    /// in invariant culture, the threshold in its format.
    /// </summary>
    public static string PlainRendering(string setting, string layer, int seeds, double jointBeta)
    {
        const string template =
            "{setting}; last-epoch linear-probe test accuracy at the {layer} output over {seeds} seeds: joint(beta {beta}) > SCL and > UCL on the subclass label, and on the class label, " +
            "each of the 4 gaps larger than {spread} x the larger standard deviation over seeds of its two sides";
        var values = new Dictionary<string, string>
        {
            ["setting"] = setting, ["layer"] = layer, ["seeds"] = seeds.ToString(CultureInfo.InvariantCulture),
            ["beta"] = jointBeta.ToString("0.##", CultureInfo.InvariantCulture), ["spread"] = SeedGap.Spread.Value.ToString("0", CultureInfo.InvariantCulture),
        };
        return Regex.Replace(template, @"\{([a-z][a-z0-9_]*)\}", m => values[m.Groups[1].Value]);
    }

    [Fact]
    public void The_claim_s_criterion_sentence_names_the_cifar10_pairs_and_the_projection_output()
    {
        var (result, s, specs) = Summarised();
        var claim = Assert.Single(result.Claims);
        var config = specs[0].Config;
        Assert.Equal(DatasetRegistry.Cifar10Pairs, config.Dataset);
        Assert.False(config.Superclasses || config.SuperclassMap is not null);   // the pairs carry their own subclasses
        Assert.Equal(0, config.RandBits);
        string setting = "cifar10-pairs (class = 5 pairs of unlike objects (CIFAR-10 pairs); subclass = 10 objects)";
        Assert.Equal(PlainRendering(setting, "projection", Seeds, s.JointBeta), claim.Criterion);
        Assert.Contains("at the projection output over 5 seeds: joint(beta 0.75) > SCL", claim.Criterion);
        Assert.Contains("larger than 2 x the larger", claim.Criterion);
        Assert.StartsWith($"{setting}, projection output: ", claim.Tables[0].Title);
    }

    [Theory]
    [InlineData("mnist (built-in superclasses) + RandBit k = 5", "encoder", 3, 0.75)]
    [InlineData("CIFAR-100 (20 coarse / 100 fine)", "projection", 10, 0.333333)]   // beta in two decimals
    [InlineData("cifar10 (superclasses from {layer}-{seeds}.csv)", "encoder", 1, 1.0)]   // a value's braces are text
    public void The_typed_criterion_sentence_is_the_plain_template_s_rendering(string setting, string layer, int seeds, double jointBeta) =>
        Assert.Equal(PlainRendering(setting, layer, seeds, jointBeta), JointLossExperiment.CriterionSentence(setting, layer, seeds, jointBeta));

    [Fact]
    public void The_setting_names_randbit_only_where_the_runs_have_it()
    {
        Assert.Equal("x (y)", JointLossExperiment.SettingOf("x (y)", 0));
        Assert.Equal("x (y) + RandBit k = 5", JointLossExperiment.SettingOf("x (y)", 5));
    }

    [Fact]
    public void The_other_layer_is_reported_beside_the_criterion_s()
    {
        var (result, s, _) = Summarised();
        var claim = Assert.Single(result.Claims);
        foreach (var (loss, beta) in new[] { ("scl", 1.0), ("ucl", 0.0), ("joint", s.JointBeta) })
            foreach (var label in new[] { LabelKeys.Subclass, LabelKeys.Class })
            {
                var want = Enumerable.Range(0, Seeds).Average(i => OtherLayerAccuracy(label, beta, i));
                Assert.Equal(want, claim.Values.Single(v => v.Key == $"{label}_{loss}_encoder").Value.Mean, 12);
                Assert.Equal(MeanStd(label, beta).Mean, claim.Values.Single(v => v.Key == $"{label}_{loss}").Value.Mean, 12);
            }
    }

    [Fact]
    public void The_beta_sweep_figure_has_one_point_per_beta_with_seed_std_error_bars()
    {
        var (result, _, specs) = Summarised();
        var claim = Assert.Single(result.Claims);
        var plot = result.Plots.Single(p => p.FileName == Assert.Single(claim.Plots));
        var betas = specs.Select(BetaOf).Distinct().Order().ToArray();
        Assert.True(betas.Length >= 3, "a sweep");
        Assert.Equal([LabelKeys.Class, LabelKeys.Subclass], plot.Series.Select(x => x.Label));
        foreach (var series in plot.Series)
        {
            Assert.Equal(betas, series.X);
            Assert.Equal(betas.Length, series.Y.Count);
            Assert.NotNull(series.YError);
            for (int i = 0; i < betas.Length; i++)
            {
                var (mean, std) = MeanStd(series.Label, betas[i]);
                Assert.Equal(mean, series.Y[i], 12);
                Assert.Equal(std, series.YError![i], 12);
                Assert.True(std > 0);
            }
        }
    }

    [Fact]
    public void The_report_and_results_json_show_the_table_and_the_figure_is_written()
    {
        var (result, _, _) = Summarised();
        var claim = Assert.Single(result.Claims);
        using var dir = DataTestFiles.NewTempDir();
        var path = RunWriter.Write(dir.Path, "real", [result], new { test = true });

        var png = Path.Combine(dir.Path, claim.Plots[0]);
        Assert.True(File.Exists(png), png);
        Assert.True(PngInspector.HasTitleText(File.ReadAllBytes(png)));

        var table = claim.Tables[0];
        var md = File.ReadAllText(Path.Combine(dir.Path, "report.md"));
        Assert.Contains($"**{table.Title}**", md);
        Assert.Contains("| loss | subclass, ours | subclass, std over seeds | subclass, slide | class, ours | class, std over seeds | class, slide |", md);
        Assert.Contains("| SCL | ", md);
        Assert.Contains("| joint (beta 0.75) | ", md);
        var html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));
        Assert.Contains("<th>subclass, slide</th>", html);
        Assert.Contains("<td>UCL</td>", html);

        // results.json keeps the table's numbers exactly, and reads back as the comparison reads it.
        var json = JsonSerializer.Deserialize<RunWriter.ResultsJson>(File.ReadAllText(path), RunJson.Options)!;
        var written = Assert.Single(Assert.Single(json.Claims).Tables!);
        Assert.Equal(table.Columns, written.Columns);
        Assert.Equal(table.Rows.Select(r => (r.Label, string.Join(",", r.Values))), written.Rows.Select(r => (r.Label, string.Join(",", r.Values))));
    }

    [Fact]
    public void A_claim_without_tables_writes_none()
    {
        var plain = new ExperimentResult { Name = "plain" };
        plain.Claims.Add(new ClaimResult { Id = "PLAIN", Statement = "s", Criterion = "c", Holds = true });
        using var dir = DataTestFiles.NewTempDir();
        var path = RunWriter.Write(dir.Path, "theory", [plain], new { });
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.False(doc.RootElement.GetProperty("claims")[0].TryGetProperty("tables", out _));
        Assert.DoesNotContain("**", File.ReadAllText(Path.Combine(dir.Path, "report.md")).Split("## PLAIN")[1]);
    }
}
