using System.Globalization;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// The joint loss (docs/paper.md §5, the CIFAR100-RandBit table): SCL alone collapses the subclasses, UCL alone
/// suppresses class features under the easy RandBit feature; the joint loss beta * SCL + (1 - beta) * UCL keeps
/// both. Run on CIFAR-10's 2 superclasses (class) with the 10 original classes as subclasses, RandBit k appended
/// after augmentation; with CIFAR-100 in the data folder, also on its 20 coarse / 100 fine labels. A beta sweep
/// shows the trade-off (beta 0 = UCL, beta 1 = SCL).
/// </summary>
public sealed class JointRandBitExperiment : IRealExperiment
{
    /// <summary>Mean probe test accuracy over seeds of SCL, UCL and the joint loss on one label.</summary>
    public sealed record LossMeans(double Scl, double Ucl, double Joint)
    {
        /// <summary>Whether the joint loss is at least as good as both.</summary>
        public bool JointAtLeastBoth => Joint >= Scl && Joint >= Ucl;
    }

    /// <summary>The claim's criterion: the joint loss at least as good as both, on the subclass and on the class label.</summary>
    public static readonly Criterion<(LossMeans Subclass, LossMeans Class)> JointKeepsBoth = new(
        "{setting} + RandBit k = {k}; mean over {seeds} seeds of the last-epoch linear-probe test accuracy: joint(beta {beta}) >= SCL and >= UCL on the subclass label, and on the class label",
        (_, x) => x.Subclass.JointAtLeastBoth && x.Class.JointAtLeastBoth);

    /// <summary>The claim id (CIFAR-10 superclasses).</summary>
    public const string ClaimId = "REAL-JOINT";
    /// <summary>The claim id of the CIFAR-100 run (only when its files are present).</summary>
    public const string Cifar100ClaimId = "REAL-JOINT-C100";

    /// <inheritdoc />
    public string Name => "joint-randbit";
    /// <inheritdoc />
    public string Description => "SCL / UCL / joint on CIFAR-10 superclasses + RandBit (and CIFAR-100 coarse/fine when present): subclass and class probe accuracy, beta sweep";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId, Cifar100ClaimId];

    /// <summary>Whether the CIFAR-100 binary files are in <paramref name="dataDir"/> (or its cifar-100-binary/ folder).</summary>
    public static bool Cifar100Present(string dataDir) =>
        new[] { dataDir, Path.Combine(dataDir, Cifar100Loader.FolderName) }.Any(d =>
            Directory.Exists(d) && DatasetFiles.TryFind(d, Cifar100Loader.TrainFile) is not null && DatasetFiles.TryFind(d, Cifar100Loader.TestFile) is not null);

    /// <inheritdoc />
    public ExperimentResult Run(RealRunOptions options, IRunProgress progress, CancellationToken ct = default)
    {
        var o = options.Validate();
        var s = RealScale.For(o);
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s, Cifar100Present = Cifar100Present(o.DataDir) } };
        var vsPaper = new DataTable("joint_randbit_vs_paper", "dataset", "loss", "ours_subclass_probe", "ours_subclass_std", "ours_class_probe", "ours_class_std",
            "paper_cifar100_subclass", "paper_cifar100_class");
        result.Tables.Add(vsPaper);
        RunOne(o, s, DatasetRegistry.Cifar10, "cifar10", ClaimId, "CIFAR-10 (2 superclasses / 10 subclasses)", result, vsPaper, progress, ct);
        if (Cifar100Present(o.DataDir))
            RunOne(o, s, DatasetRegistry.Cifar100, "cifar100", Cifar100ClaimId, "CIFAR-100 (20 coarse / 100 fine)", result, vsPaper, progress, ct);
        else
            result.Claims[0] = WithNote(result.Claims[0], " CIFAR-100 is not in the data folder, so the paper's own dataset was not run; its numbers are shown beside ours for reference only.");
        return result;
    }

    private void RunOne(RealRunOptions o, RealSchedule s, string dataset, string tag, string claimId, string title,
        ExperimentResult result, DataTable vsPaper, IRunProgress progress, CancellationToken ct)
    {
        bool superclasses = dataset == DatasetRegistry.Cifar10;
        int k = s.RandBits;
        // beta 0 and 1 are the plain UCL and SCL losses; the joint loss of the comparison is beta = JointBeta.
        var betas = s.Betas.Append(0).Append(1).Append(s.JointBeta).Distinct().Order().ToArray();
        var runs = new Dictionary<double, List<RealRunSummary>>();
        foreach (double beta in betas)
        {
            var kind = beta == 0 ? ContrastiveLossKind.Ucl : beta == 1 ? ContrastiveLossKind.Scl : ContrastiveLossKind.Joint;
            var list = runs[beta] = [];
            foreach (int seed in RealRunner.SeedList(o))
            {
                var cfg = RealRunner.Config(o, s, seed, dataset, kind, beta: beta, superclasses: superclasses, randBits: k);
                list.Add(RealRunner.Train(Name, $"{tag}-beta{beta:0.00}-k{k}", cfg, [LabelKeys.Class, LabelKeys.Subclass], o, s, progress, ct));
            }
        }
        Stat Acc(double beta, string key) => RealRunner.Over(runs[beta], r => r.ProbeTest[key]);

        var sweep = new DataTable($"joint_randbit_{tag}_beta_sweep", "beta", "loss", "subclass_probe_mean", "subclass_probe_std", "class_probe_mean", "class_probe_std", "seeds");
        foreach (double beta in betas)
            sweep.Add(beta, LossName(beta, s.JointBeta), Acc(beta, LabelKeys.Subclass).Mean, Acc(beta, LabelKeys.Subclass).Std, Acc(beta, LabelKeys.Class).Mean, Acc(beta, LabelKeys.Class).Std, runs[beta].Count);
        result.Tables.Add(sweep);
        foreach (var (name, beta) in new[] { ("scl", 1.0), ("ucl", 0.0), ("joint", s.JointBeta) })
            vsPaper.Add(tag, name, Acc(beta, LabelKeys.Subclass).Mean, Acc(beta, LabelKeys.Subclass).Std, Acc(beta, LabelKeys.Class).Mean, Acc(beta, LabelKeys.Class).Std,
                PaperNumbers.Cifar100RandBitSubclass[name], PaperNumbers.Cifar100RandBitClass[name]);

        var x = betas.ToArray();
        string plot = $"joint_randbit_{tag}_beta_sweep.png";
        result.Plots.Add(new PlotSpec(plot, $"Joint loss beta sweep, {title} + RandBit k={k}", "beta (0 = UCL, 1 = SCL)", "linear-probe test accuracy",
            [
                new PlotSeries("class", x, betas.Select(b => Acc(b, LabelKeys.Class).Mean).ToArray(), betas.Select(b => Acc(b, LabelKeys.Class).Std).ToArray()),
                new PlotSeries("subclass", x, betas.Select(b => Acc(b, LabelKeys.Subclass).Mean).ToArray(), betas.Select(b => Acc(b, LabelKeys.Subclass).Std).ToArray()),
            ], YMin: 0, YMax: 1));

        double jb = s.JointBeta;
        var sclSub = Acc(1, LabelKeys.Subclass); var uclSub = Acc(0, LabelKeys.Subclass); var jSub = Acc(jb, LabelKeys.Subclass);
        var sclCls = Acc(1, LabelKeys.Class); var uclCls = Acc(0, LabelKeys.Class); var jCls = Acc(jb, LabelKeys.Class);
        var subclassMeans = new LossMeans(sclSub.Mean, uclSub.Mean, jSub.Mean);
        var classMeans = new LossMeans(sclCls.Mean, uclCls.Mean, jCls.Mean);
        bool subOk = subclassMeans.JointAtLeastBoth, clsOk = classMeans.JointAtLeastBoth;
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
        foreach (var n in new[] { "scl", "ucl", "joint" })
        {
            values.Add(new($"paper_cifar100_subclass_{n}", Stat.Of([PaperNumbers.Cifar100RandBitSubclass[n]])));
            values.Add(new($"paper_cifar100_class_{n}", Stat.Of([PaperNumbers.Cifar100RandBitClass[n]])));
        }
        result.Claims.Add(new ClaimResult
        {
            Id = claimId,
            Statement = "The joint loss keeps both the class and the subclass features: it is at least as good as SCL and as UCL on both subclass and class accuracy.",
            Criterion = JointKeepsBoth.Sentence(("setting", title), ("k", k), ("seeds", o.Seeds), ("beta", jb.ToString("0.##", CultureInfo.InvariantCulture))),
            Holds = JointKeepsBoth.Holds((subclassMeans, classMeans)),
            Method = $"SCL / UCL / joint, {s.Describe()}; offline linear probe ({RealRunner.ProbedLayer}), last epoch",
            Values = values,
            Notes = $"Subclass: SCL {RealRunner.Fixed4(sclSub.Mean)}, UCL {RealRunner.Fixed4(uclSub.Mean)}, joint {RealRunner.Fixed4(jSub.Mean)} ({(subOk ? "joint >= both" : "joint below one of them")}); " +
                    $"class: SCL {RealRunner.Fixed4(sclCls.Mean)}, UCL {RealRunner.Fixed4(uclCls.Mean)}, joint {RealRunner.Fixed4(jCls.Mean)} ({(clsOk ? "joint >= both" : "joint below one of them")}). " +
                    $"Paper (CIFAR100-RandBit): subclass {PaperTriple(PaperNumbers.Cifar100RandBitSubclass)}, class {PaperTriple(PaperNumbers.Cifar100RandBitClass)} for SCL / UCL / joint. " +
                    $"Beta sweep: {string.Join("; ", betas.Select(b => $"beta {b:0.##}: subclass {RealRunner.Fixed4(Acc(b, LabelKeys.Subclass).Mean)}, class {RealRunner.Fixed4(Acc(b, LabelKeys.Class).Mean)}"))}. " +
                    $"{RealRunner.Cost(runs.Values.SelectMany(l => l).ToList())}.",
            Plots = [plot],
        });
    }

    private static string PaperTriple(IReadOnlyDictionary<string, double> byLoss) =>
        string.Join(" / ", new[] { "scl", "ucl", "joint" }.Select(n => byLoss[n].ToString("0.###", CultureInfo.InvariantCulture)));

    private static string LossName(double beta, double jointBeta) =>
        beta == 0 ? "ucl" : beta == 1 ? "scl" : beta == jointBeta ? "joint" : $"joint-{beta:0.00}";

    private static ClaimResult WithNote(ClaimResult c, string note) => new()
    {
        Id = c.Id, Statement = c.Statement, Criterion = c.Criterion, Holds = c.Holds, Method = c.Method, Values = c.Values, Notes = c.Notes + note, Plots = c.Plots,
    };
}
