using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// The joint loss (docs/paper.md §5, the CIFAR100-RandBit table): SCL alone collapses the subclasses, UCL alone
/// suppresses class features under an easy feature; the joint loss beta * SCL + (1 - beta) * UCL keeps both. Run on
/// the preset's hierarchy: at CPU scale CIFAR-10's objects in five pairs of unlike objects (Data/Cifar10Pairs, a small
/// CIFAR-100 coarse / fine; Data/MarkedPairs adds a digit that names the pair), or a dataset's superclasses with the original
/// labels as subclasses (or a user's --superclass-map), RandBit k appended after augmentation where the preset has
/// it; with CIFAR-100 in the data folder, also on its 20 coarse / 100 fine labels with RandBit, as in the paper. A
/// beta sweep shows the trade-off (beta 0 = UCL, beta 1 = SCL). Every run is probed at the encoder and the
/// projection output; the criterion reads the schedule's <see cref="RealSchedule.JointLayer"/>.
/// </summary>
public sealed class JointLossExperiment : IRealExperiment
{
    /// <summary>Probe test accuracy over seeds of SCL, UCL and the joint loss on one label.</summary>
    public sealed record LossStats(Stat Scl, Stat Ucl, Stat Joint)
    {
        /// <summary>Whether the joint loss beats both under the rule of evidence (<see cref="SeedGap"/>).</summary>
        public bool JointBeatsBoth => SeedGap.Clear(Scl, Joint) && SeedGap.Clear(Ucl, Joint);
        /// <summary>"joint vs SCL ...; joint vs UCL ..." for notes.</summary>
        public string Describe() => $"{SeedGap.Describe("SCL", Scl, "joint", Joint)}; {SeedGap.Describe("UCL", Ucl, "joint", Joint)}";
    }

    /// <summary>The dataset and its labels, as the claim's title names them, stated in the sentence.</summary>
    public static readonly Placeholder Setting = new("setting");

    /// <summary>The joint loss's beta, stated in the sentence as <see cref="CriterionSentence"/> writes it.</summary>
    public static readonly Placeholder Beta = new("beta");

    /// <summary>The probed layer the criterion reads (encoder or projection).</summary>
    public static readonly Placeholder Layer = new("layer");

    /// <summary>The claim's criterion: the joint loss beats both, on the subclass and on the class label.</summary>
    public static readonly Criterion<(LossStats Subclass, LossStats Class)> JointKeepsBoth = new(
        $"{Setting}; last-epoch linear-probe test accuracy at the {Layer} output over {SeedGap.SeedCount} seeds: joint(beta {Beta}) > SCL and > UCL on the subclass label, and on the class label, " +
        $"each of the 4 gaps larger than {SeedGap.Spread} x the larger standard deviation over seeds of its two sides",
        (_, x) => x.Subclass.JointBeatsBoth && x.Class.JointBeatsBoth);

    /// <summary><see cref="JointKeepsBoth"/>'s sentence for one claim; beta in at most two decimals ("0.##").</summary>
    public static string CriterionSentence(string setting, string layer, int seeds, double jointBeta) => JointKeepsBoth.Sentence(
        (Setting, setting), (Layer, layer), (SeedGap.SeedCount, seeds), (Beta, jointBeta.ToString("0.##", CultureInfo.InvariantCulture)));

    /// <summary>The setting as the claim names it: the hierarchy, and RandBit k when there is one.</summary>
    public static string SettingOf(string title, int k) => k > 0 ? $"{title} + RandBit k = {k}" : title;

    /// <summary>The claim id (CIFAR-10 superclasses).</summary>
    public const string ClaimId = "REAL-JOINT";
    /// <summary>The claim id of the CIFAR-100 run (only when its files are present).</summary>
    public const string Cifar100ClaimId = "REAL-JOINT-C100";

    /// <inheritdoc />
    public string Name => "joint-loss";
    /// <inheritdoc />
    public string Description => "SCL / UCL / joint on a class / subclass hierarchy: CIFAR-10 pairs at CPU scale (CIFAR-100 coarse/fine + RandBit when present): subclass and class probe accuracy at two layers, beta sweep";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId, Cifar100ClaimId];

    /// <summary>Whether the CIFAR-100 binary files are in <paramref name="dataDir"/> (or its cifar-100-binary/ folder).</summary>
    public static bool Cifar100Present(string dataDir) =>
        new[] { dataDir, Path.Combine(dataDir, Cifar100Loader.FolderName) }.Any(d =>
            Directory.Exists(d) && DatasetFiles.TryFind(d, Cifar100Loader.TrainFile) is not null && DatasetFiles.TryFind(d, Cifar100Loader.TestFile) is not null);

    /// <summary>beta 0 and 1 are the plain UCL and SCL losses; the joint loss of the comparison is beta = JointBeta.</summary>
    private static double[] Betas(RealSchedule s) => s.Betas.Append(0).Append(1).Append(s.JointBeta).Distinct().Order().ToArray();

    private static string Tag(string dataset, double beta, int k) => $"{dataset}-beta{beta:0.00}-k{k}";

    // CIFAR-100 runs as in the paper, with RandBit: the joint preset's k, or the CIFAR-10 RandBit preset's when it has none.
    private static int Cifar100RandBits(RealSchedule s) => s.Joint.RandBits > 0 ? s.Joint.RandBits : s.Cifar10RandBit.RandBits;

    /// <summary>
    /// The last-epoch probe accuracy of <paramref name="key"/> at <paramref name="layer"/>: the run's final probe at the
    /// encoder output, its last offline probe at the projection output (NaN where the run has none).
    /// </summary>
    public static double Accuracy(RealRunSummary r, string layer, string key) =>
        layer == Training.OfflineProbeCurve.EncoderLayer ? r.ProbeTest[key] : r.OfflineCurve(layer, key).LastOrDefault(double.NaN);

    /// <inheritdoc />
    public IReadOnlyList<RealRunSpec> Runs(RealRunOptions options, RealSchedule s)
    {
        var o = options.Validate();
        // The preset's hierarchy (CIFAR-10 pairs, or a dataset's superclasses); CIFAR-100 (coarse = class, fine = subclass) when its files are there.
        var main = s.Joint with { Dataset = o.DatasetFor(s.Joint) };
        // A dataset with its own class and subclass would silently ignore a map: say so instead.
        if (o.SuperclassMap is { } map && DatasetRegistry.HasOwnSubclasses(main.Dataset))
            throw new UserInputException($"--superclass-map {map}: {Name} runs on {main.Dataset}, which has its own class and subclass; give --dataset with the map (e.g. --only {Name} --dataset cifar10), or leave the map out.");
        var presets = new List<RunPreset> { main };
        if (Cifar100Present(o.DataDir) && main.Dataset != DatasetRegistry.Cifar100)
            presets.Add(s.Cifar10RandBit with { Dataset = DatasetRegistry.Cifar100, RandBits = Cifar100RandBits(s), Superclasses = false });
        var specs = new List<RealRunSpec>();
        foreach (var preset in presets)
            foreach (double beta in Betas(s))
            {
                var kind = beta == 0 ? ContrastiveLossKind.Ucl : beta == 1 ? ContrastiveLossKind.Scl : ContrastiveLossKind.Joint;
                var forRun = o with { Dataset = preset.Dataset, SuperclassMap = preset.Dataset == DatasetRegistry.Cifar100 ? null : o.SuperclassMap };
                foreach (int seed in RealRunner.SeedList(o, preset))
                    specs.Add(new RealRunSpec(Name, Tag(preset.Dataset, beta, preset.RandBits),
                        RealRunner.Config(forRun, s, preset, seed, kind, beta: beta, probeBothLayers: true), [LabelKeys.Class, LabelKeys.Subclass], s.ProbeIterations));
            }
        return specs;
    }

    /// <inheritdoc />
    public ExperimentResult Summarise(RealRunOptions o, RealSchedule s, IReadOnlyList<RealRunSummary> results)
    {
        // CIFAR-100 ran when the plan found it in the data folder (its runs are among the results).
        string main = results[0].Config.Dataset;
        bool cifar100 = main != DatasetRegistry.Cifar100 && results.Any(r => r.Config.Dataset == DatasetRegistry.Cifar100);
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s, Cifar100Present = cifar100 } };
        var vsPaper = new DataTable("joint_loss_vs_paper", "dataset", "loss", "ours_subclass_probe", "ours_subclass_std", "ours_class_probe", "ours_class_std",
            "paper_cifar100_subclass", "paper_cifar100_class");
        result.Tables.Add(vsPaper);
        var first = results[0];
        string title = $"{main} ({HierarchyOf(first.Config)})";
        SummariseOne(o, s, main, s.Joint.RandBits, ClaimId, title, results, result, vsPaper);
        if (cifar100)
            SummariseOne(o, s, DatasetRegistry.Cifar100, Cifar100RandBits(s), Cifar100ClaimId, "CIFAR-100 (20 coarse / 100 fine)", results, result, vsPaper);
        else if (main != DatasetRegistry.Cifar100)
            result.Claims[0] = WithNote(result.Claims[0], " CIFAR-100 is not in the data folder, so the paper's own dataset was not run; its numbers are shown beside ours for reference only.");
        return result;
    }

    private void SummariseOne(RealRunOptions o, RealSchedule s, string tag, int k, string claimId, string title, IReadOnlyList<RealRunSummary> results, ExperimentResult result, DataTable vsPaper)
    {
        var betas = Betas(s);
        var runs = betas.ToDictionary(beta => beta, beta => RealRunner.WithTag(results, Tag(tag, beta, k)));
        string layer = s.JointLayer, other = Training.OfflineProbeCurve.Layers.First(l => l != layer);
        Stat Acc(double beta, string key) => RealRunner.Over(runs[beta], r => Accuracy(r, layer, key));
        string setting = SettingOf(title, k);

        var sweep = new DataTable($"joint_loss_{tag}_beta_sweep", "beta", "loss", "subclass_probe_mean", "subclass_probe_std", "class_probe_mean", "class_probe_std", "seeds");
        foreach (double beta in betas)
            sweep.Add(beta, LossName(beta, s.JointBeta), Acc(beta, LabelKeys.Subclass).Mean, Acc(beta, LabelKeys.Subclass).Std, Acc(beta, LabelKeys.Class).Mean, Acc(beta, LabelKeys.Class).Std, runs[beta].Count);
        result.Tables.Add(sweep);
        result.Tables.Add(RealRunner.BaselineTable($"joint_loss_{tag}_baselines", runs.Values.SelectMany(l => l)));
        foreach (var (name, beta) in new[] { ("scl", 1.0), ("ucl", 0.0), ("joint", s.JointBeta) })
            vsPaper.Add(tag, name, Acc(beta, LabelKeys.Subclass).Mean, Acc(beta, LabelKeys.Subclass).Std, Acc(beta, LabelKeys.Class).Mean, Acc(beta, LabelKeys.Class).Std,
                PaperNumbers.Cifar100RandBitSubclass[name], PaperNumbers.Cifar100RandBitClass[name]);

        var x = betas.ToArray();
        string plot = $"joint_loss_{tag}_beta_sweep.png";
        result.Plots.Add(new PlotSpec(plot, $"Joint loss beta sweep, {setting}, {layer} output", "beta (0 = UCL, 1 = SCL)", "linear-probe test accuracy",
            [
                new PlotSeries("class", x, betas.Select(b => Acc(b, LabelKeys.Class).Mean).ToArray(), betas.Select(b => Acc(b, LabelKeys.Class).Std).ToArray()),
                new PlotSeries("subclass", x, betas.Select(b => Acc(b, LabelKeys.Subclass).Mean).ToArray(), betas.Select(b => Acc(b, LabelKeys.Subclass).Std).ToArray()),
            ], YMin: 0, YMax: 1));

        double jb = s.JointBeta;
        int seeds = runs[1].Count;   // the suite's seeds plus the preset's extra ones (none for CIFAR-100)
        var sclSub = Acc(1, LabelKeys.Subclass); var uclSub = Acc(0, LabelKeys.Subclass); var jSub = Acc(jb, LabelKeys.Subclass);
        var sclCls = Acc(1, LabelKeys.Class); var uclCls = Acc(0, LabelKeys.Class); var jCls = Acc(jb, LabelKeys.Class);
        var subclassStats = new LossStats(sclSub, uclSub, jSub);
        var classStats = new LossStats(sclCls, uclCls, jCls);
        var values = new List<KeyValuePair<string, Stat>>
        {
            new("subclass_scl", sclSub), new("subclass_ucl", uclSub), new("subclass_joint", jSub),
            new("class_scl", sclCls), new("class_ucl", uclCls), new("class_joint", jCls),
        };
        foreach (double b in betas.Where(b => b != 0 && b != 1 && b != jb))
        {
            values.Add(new($"subclass_beta{b:0.00}", Acc(b, LabelKeys.Subclass)));
            values.Add(new($"class_beta{b:0.00}", Acc(b, LabelKeys.Class)));
        }
        foreach (var (n, beta) in new[] { ("scl", 1.0), ("ucl", 0.0), ("joint", jb) })
        {
            // The other layer, reported beside the criterion's.
            foreach (var label in new[] { LabelKeys.Subclass, LabelKeys.Class })
                values.Add(new($"{label}_{n}_{other}", RealRunner.Over(runs[beta], r => Accuracy(r, other, label))));
            values.Add(new($"paper_cifar100_subclass_{n}", Stat.Of([PaperNumbers.Cifar100RandBitSubclass[n]])));
            values.Add(new($"paper_cifar100_class_{n}", Stat.Of([PaperNumbers.Cifar100RandBitClass[n]])));
        }
        result.Claims.Add(new ClaimResult
        {
            Id = claimId,
            Statement = "The joint loss keeps both the class and the subclass features: it beats SCL and UCL on both subclass and class accuracy.",
            Criterion = CriterionSentence(setting, layer, seeds, jb),
            Holds = JointKeepsBoth.Holds((subclassStats, classStats)),
            Method = $"SCL / UCL / joint, {s.Describe()}; {s.Joint.Describe()}; offline linear probe at the {layer} output (the {other} output's in the values), last epoch" +
                     o.ScoredSplitNote,
            Values = values,
            Notes = $"Subclass: {subclassStats.Describe()}; class: {classStats.Describe()}. " +
                    $"The paper's setting needs UCL above SCL on the subclass: {SeedGap.Describe("SCL", sclSub, "UCL", uclSub)}. " +
                    $"Paper (CIFAR100-RandBit): subclass {PaperTriple(PaperNumbers.Cifar100RandBitSubclass)}, class {PaperTriple(PaperNumbers.Cifar100RandBitClass)} for SCL / UCL / joint. " +
                    $"Beta sweep: {string.Join("; ", betas.Select(b => $"beta {b:0.##}: subclass {RealRunner.Fixed4(Acc(b, LabelKeys.Subclass).Mean)}, class {RealRunner.Fixed4(Acc(b, LabelKeys.Class).Mean)}"))}. " +
                    $"{RealRunner.Cost(runs.Values.SelectMany(l => l).ToList())}.",
            Plots = [plot],
            Tables = [VersusSlide($"{setting}, {layer} output", seeds, jb, sclSub, uclSub, jSub, sclCls, uclCls, jCls)],
        });
    }

    /// <summary>
    /// The table the report shows for the claim, laid out as the slide's CIFAR100-RandBit table: SCL, UCL and the joint
    /// loss by row, subclass and class accuracy (mean and standard deviation over seeds) beside the slide's numbers.
    /// </summary>
    public static ClaimTable VersusSlide(string setting, int seeds, double jointBeta, Stat sclSub, Stat uclSub, Stat jointSub, Stat sclCls, Stat uclCls, Stat jointCls)
    {
        ClaimTableRow Row(string label, string loss, Stat sub, Stat cls) => new(label,
            [sub.Mean, sub.Std, PaperNumbers.Cifar100RandBitSubclass[loss], cls.Mean, cls.Std, PaperNumbers.Cifar100RandBitClass[loss]]);
        return new ClaimTable(
            $"{setting}: linear-probe test accuracy over {seeds} seeds, beside the slide's CIFAR100-RandBit numbers ({PaperNumbers.Source})",
            ["loss", "subclass, ours", "subclass, std over seeds", "subclass, slide", "class, ours", "class, std over seeds", "class, slide"],
            [
                Row("SCL", "scl", sclSub, sclCls),
                Row("UCL", "ucl", uclSub, uclCls),
                Row(string.Create(CultureInfo.InvariantCulture, $"joint (beta {jointBeta:0.##})"), "joint", jointSub, jointCls),
            ]);
    }

    /// <summary>How the run's class and subclass labels were made, for the claim's title.</summary>
    public static string HierarchyOf(Training.TrainConfig c) =>
        c.SuperclassMap is { } map ? $"superclasses from {Path.GetFileName(map)}"
        : c.Superclasses ? "built-in superclasses"
        : c.Dataset == DatasetRegistry.MarkedPairs ? $"class = 5 object pairs, marked by a digit on {(MarkedPairs.DefaultAgreement * 100).ToString("0", CultureInfo.InvariantCulture)} % of the images; subclass = 10 objects"
        : c.Dataset == DatasetRegistry.Cifar10Pairs ? "class = 5 pairs of unlike objects (CIFAR-10 pairs); subclass = 10 objects"
        : "coarse / fine labels";

    private static string PaperTriple(IReadOnlyDictionary<string, double> byLoss) =>
        string.Join(" / ", new[] { "scl", "ucl", "joint" }.Select(n => byLoss[n].ToString("0.###", CultureInfo.InvariantCulture)));

    private static string LossName(double beta, double jointBeta) =>
        beta == 0 ? "ucl" : beta == 1 ? "scl" : beta == jointBeta ? "joint" : $"joint-{beta:0.00}";

    private static ClaimResult WithNote(ClaimResult c, string note) => new()
    {
        Id = c.Id, Statement = c.Statement, Criterion = c.Criterion, Holds = c.Holds, Method = c.Method, Values = c.Values, Notes = c.Notes + note, Plots = c.Plots, Tables = c.Tables,
    };
}
