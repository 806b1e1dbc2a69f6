using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Feature suppression vs augmentation (docs/paper.md §5, MNIST digits on CIFAR-10 backgrounds): SimCLR (UCL) with
/// weak, SimCLR and strong augmentation (the schedule's <see cref="RealSchedule.StrongAugmentation"/>). The background
/// is the easy, irrelevant feature that competes with the digit; stronger augmentation (colour jitter, grayscale,
/// tighter crops) makes the background a worse shortcut, so the digit gets learnt.
/// </summary>
public sealed class DigitsOnBackgroundsExperiment : IRealExperiment
{
    /// <summary>Digit-probe test accuracy over seeds per augmentation preset.</summary>
    public sealed record AugmentationStats(Stat Weak, Stat Simclr, Stat Strong);

    /// <summary>The claim's criterion: both stronger augmentations beat the weak one on the digit, under the rule of evidence (<see cref="SeedGap"/>).</summary>
    public static readonly Criterion<AugmentationStats> BetterAugmentationLearnsDigit = new(
        $"last-epoch digit linear-probe test accuracy over {SeedGap.SeedCount} seeds: acc(simclr) > acc(weak) and acc(strong) > acc(weak), each gap larger than {SeedGap.Spread} x the larger standard deviation over seeds of its two sides",
        (_, a) => SeedGap.Clear(a.Weak, a.Simclr) && SeedGap.Clear(a.Weak, a.Strong));

    /// <summary>The claim id.</summary>
    public const string ClaimId = "REAL-FS-AUG";
    /// <summary>The three arms' roles, weakest first, as the claim's values spell them (<c>digit_probe_strong</c>, ...).</summary>
    public static readonly string[] Roles = ["weak", "simclr", "strong"];

    /// <summary>The presets of <see cref="Roles"/> in <paramref name="s"/>, by name (<see cref="AugmentationOptions.Presets"/>), as run tags and tables spell them.</summary>
    public static string[] Presets(RealSchedule s) => s.Augmentations.Select(AugmentationOptions.Presets.NameOf).ToArray();

    /// <inheritdoc />
    public string Name => "digits-on-backgrounds";
    /// <inheritdoc />
    public string Description => "UCL on MNIST digits over CIFAR-10 backgrounds with weak / simclr / strong augmentation: digit and background probe accuracy";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId];

    /// <inheritdoc />
    public IReadOnlyList<RealRunSpec> Runs(RealRunOptions options, RealSchedule s)
    {
        var o = options.Validate();
        return s.Augmentations.SelectMany(preset => RealRunner.SeedList(o, s.Digits).Select(seed => new RealRunSpec(Name, $"ucl-{AugmentationOptions.Presets.NameOf(preset)}",
            RealRunner.Config(o, s, s.Digits, seed, ContrastiveLossKind.Ucl, augment: preset), Labels(o, s), s.ProbeIterations))).ToList();
    }

    // Digits on backgrounds has a digit and a background label; another dataset (--dataset) is probed on its class.
    private static string[] Labels(RealRunOptions o, RealSchedule s) =>
        o.DatasetFor(s.Digits) == DatasetRegistry.DigitsOnBackgrounds ? [LabelKeys.Digit, LabelKeys.Background] : [LabelKeys.Class];

    /// <inheritdoc />
    public ExperimentResult Summarise(RealRunOptions o, RealSchedule s, IReadOnlyList<RealRunSummary> results)
    {
        var presets = Presets(s);   // by role: weak, simclr, strong
        var runs = Roles.Zip(presets).ToDictionary(r => r.First, r => RealRunner.WithTag(results, $"ucl-{r.Second}"));

        string feature = runs.Values.First().First().ProbeTest.ContainsKey(LabelKeys.Digit) ? LabelKeys.Digit : LabelKeys.Class;
        Stat Acc(string role, string key) => RealRunner.Over(runs[role], r => r.ProbeTest.TryGetValue(key, out var a) ? a : double.NaN);
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s } };
        var table = new DataTable("digits_on_backgrounds", "augmentation", "digit_probe_mean", "digit_probe_std", "background_probe_mean", "background_probe_std", "knn_digit", "seeds");
        foreach (var (role, name) in Roles.Zip(presets))
            table.Add(name, Acc(role, feature).Mean, Acc(role, feature).Std, Acc(role, LabelKeys.Background).Mean, Acc(role, LabelKeys.Background).Std,
                runs[role].Average(r => r.History[^1].KnnClassAccuracy), runs[role].Count);
        result.Tables.Add(table);
        var vsPaper = new DataTable("digits_on_backgrounds_vs_paper", "augmentation", "ours_digit_probe", "ours_background_probe", "paper");
        foreach (var (role, name) in Roles.Zip(presets))
            vsPaper.Add(name, Acc(role, feature).Mean, Acc(role, LabelKeys.Background).Mean, role == "weak" ? "digit not learnt (qualitative)" : "with better augmentation digits learnt (qualitative)");
        result.Tables.Add(vsPaper);

        var x = Roles.Select((_, i) => (double)i).ToArray();
        const string plot = "digits_on_backgrounds.png";
        result.Plots.Add(new PlotSpec(plot, $"Digits on backgrounds: probe accuracy vs augmentation (0 = weak, 1 = simclr, 2 = {presets[2]})", "augmentation strength",
            "linear-probe test accuracy",
            [
                new PlotSeries("digit (feature of interest)", x, Roles.Select(role => Acc(role, feature).Mean).ToArray(), Roles.Select(role => Acc(role, feature).Std).ToArray()),
                new PlotSeries("background (irrelevant feature)", x, Roles.Select(role => Acc(role, LabelKeys.Background).Mean).ToArray(), Roles.Select(role => Acc(role, LabelKeys.Background).Std).ToArray()),
            ], ReferenceLines: [new ReferenceLine("chance (10 classes)", 0.1)], YMin: 0, YMax: 1));

        var weak = Acc("weak", feature); var simclr = Acc("simclr", feature); var strong = Acc("strong", feature);
        var stats = new AugmentationStats(weak, simclr, strong);
        bool holds = BetterAugmentationLearnsDigit.Holds(stats);
        result.Claims.Add(new ClaimResult
        {
            Id = ClaimId,
            Statement = "Better augmentation makes contrastive learning learn the digit instead of suppressing it under the easier background feature.",
            Criterion = BetterAugmentationLearnsDigit.Sentence((SeedGap.SeedCount, RealRunner.SeedCount(o, s.Digits))),
            Holds = holds,
            Method = $"SimCLR/UCL, {s.Describe()}; {s.Digits.Describe()} (digits-on-backgrounds: an MNIST digit blended by max over a CIFAR-10 image); augmentation weak / simclr / strong = {string.Join(" / ", presets)}; offline linear probe ({RealRunner.ProbedLayer}), last epoch" +
                     o.ScoredSplitNote,
            Values =
            [
                new("digit_probe_weak", weak), new("digit_probe_simclr", simclr), new("digit_probe_strong", strong),
                new("background_probe_weak", Acc("weak", LabelKeys.Background)), new("background_probe_simclr", Acc("simclr", LabelKeys.Background)),
                new("background_probe_strong", Acc("strong", LabelKeys.Background)),
            ],
            Notes = $"Digit probe: weak {RealRunner.Describe(weak)}, simclr {RealRunner.Describe(simclr)}, strong {RealRunner.Describe(strong)}; " +
                    $"background probe: weak {RealRunner.Fixed4(Acc("weak", LabelKeys.Background).Mean)}, simclr {RealRunner.Fixed4(Acc("simclr", LabelKeys.Background).Mean)}, strong {RealRunner.Fixed4(Acc("strong", LabelKeys.Background).Mean)}. " +
                    $"The paper reports this finding qualitatively (no numbers). {LearningBar.Of(runs["strong"], feature).Describe($"ucl-{presets[2]}")}. {RealRunner.Cost(runs.Values.SelectMany(l => l).ToList())}." +
                    $" {SeedGap.Describe("weak", weak, "simclr", simclr)}; {SeedGap.Describe("weak", weak, "strong", strong)}." +
                    (holds ? "" : " Not shown at this scale: see which gap fell short above."),
            Plots = [plot],
        });
        result.Tables.Add(LearningBar.Table($"{Name.Replace('-', '_')}_learning_bars", Roles.Zip(presets).Select(r => ($"ucl-{r.Second}", LearningBar.Of(runs[r.First], feature)))));
        result.Tables.Add(RealRunner.BaselineTable($"{Name.Replace('-', '_')}_baselines", runs.Values.SelectMany(l => l)));
        return result;
    }
}
