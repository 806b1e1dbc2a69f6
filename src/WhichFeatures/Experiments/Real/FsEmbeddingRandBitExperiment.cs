using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Feature suppression vs embedding size (docs/paper.md §5, CIFAR10-RandBit): SimCLR (UCL) on CIFAR-10 with k RandBit
/// channels appended after augmentation. The bits alone identify an image, so a small embedding spends its few
/// dimensions on them and suppresses the class features; a larger embedding keeps both. The paper reports class
/// accuracy 86.73 / 96.82 / 97.65 for embedding sizes 4 / 64 / 128. k = 0 runs are the reference without the
/// easy feature.
/// </summary>
public sealed class FsEmbeddingRandBitExperiment : IRealExperiment
{
    /// <summary>Mean class-probe test accuracy over seeds at the three embedding sizes the criterion compares.</summary>
    public sealed record EmbeddingSizeMeans(double P4, double P64, double P128);

    /// <summary>The claim's criterion: the paper's ordering of the means.</summary>
    public static readonly Criterion<EmbeddingSizeMeans> LargerEmbeddingRecovers = new(
        "mean over {seeds} seeds of the last-epoch class linear-probe test accuracy: acc(p=4) < acc(p=64) <= acc(p=128), UCL with RandBit k = {k}",
        (_, a) => a.P4 < a.P64 && a.P64 <= a.P128);

    /// <summary>The claim id.</summary>
    public const string ClaimId = "REAL-FS-EMB";
    /// <summary>Chance accuracy of the class probe (CIFAR-10's 10 classes).</summary>
    public const double Chance = 0.1;

    /// <inheritdoc />
    public string Name => "fs-embedding-randbit";
    /// <inheritdoc />
    public string Description => "UCL on CIFAR-10 + RandBit: class probe accuracy vs embedding size (4, 16, 64, 128), k = 0 as reference";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId];

    /// <inheritdoc />
    public ExperimentResult Run(RealRunOptions options, IRunProgress progress, CancellationToken ct = default)
    {
        var o = options.Validate();
        var s = RealScale.For(o);
        foreach (int p in new[] { 4, 64, 128 })
            if (!s.EmbeddingSizes.Contains(p)) throw new UserInputException($"{Name}: the embedding sweep must contain 4, 64 and 128 (the claim's sizes); got {string.Join(", ", s.EmbeddingSizes)}.");
        int k = s.RandBits;
        var sizes = s.EmbeddingSizes.Order().ToArray();
        var runs = new Dictionary<(int P, int K), List<RealRunSummary>>();
        var configs = sizes.Select(p => (P: p, K: k)).Concat(s.ReferenceSizes.Order().Select(p => (P: p, K: 0))).ToList();
        foreach (var (p, bits) in configs)
        {
            var list = runs[(p, bits)] = [];
            foreach (int seed in RealRunner.SeedList(o))
            {
                var cfg = RealRunner.Config(o, s, seed, DatasetRegistry.Cifar10, ContrastiveLossKind.Ucl, randBits: bits, embedding: p);
                list.Add(RealRunner.Train(Name, $"ucl-p{p}-k{bits}", cfg, [LabelKeys.Class], o, s, progress, ct));
            }
        }

        Stat Acc(int p, int bits) => RealRunner.Over(runs[(p, bits)], r => r.ProbeTest[LabelKeys.Class]);
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s } };

        var table = new DataTable("fs_embedding_randbit", "embedding", "randbits", "class_probe_mean", "class_probe_std", "class_probe_min", "class_probe_max",
            "paper_class_accuracy", "seeds");
        foreach (var (p, bits) in configs)
        {
            var a = Acc(p, bits);
            table.Add(p, bits, a.Mean, a.Std, a.Min, a.Max,
                bits == k && PaperNumbers.RandBitAccuracyByEmbedding.TryGetValue(p, out var paper) ? paper : double.NaN, a.PerSeed.Count);
        }
        result.Tables.Add(table);

        var vsPaper = new DataTable("fs_embedding_randbit_vs_paper", "embedding", "ours_class_probe", "ours_std", "paper", "paper_setup");
        foreach (var (p, paper) in PaperNumbers.RandBitAccuracyByEmbedding.OrderBy(kv => kv.Key))
            vsPaper.Add(p, Acc(p, k).Mean, Acc(p, k).Std, paper, "CIFAR10-RandBit, ResNet-scale (slides)");
        result.Tables.Add(vsPaper);

        var series = new List<PlotSeries>
        {
            new($"UCL + RandBit k={k} (ours, mean ± std)", sizes.Select(p => (double)p).ToArray(), sizes.Select(p => Acc(p, k).Mean).ToArray(), sizes.Select(p => Acc(p, k).Std).ToArray()),
            new("paper (CIFAR10-RandBit)", PaperNumbers.RandBitAccuracyByEmbedding.Keys.Order().Select(p => (double)p).ToArray(),
                PaperNumbers.RandBitAccuracyByEmbedding.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray()),
        };
        var refs = s.ReferenceSizes.Order().ToArray();
        if (refs.Length > 0)
            series.Add(new("UCL, k = 0 reference (ours)", refs.Select(p => (double)p).ToArray(), refs.Select(p => Acc(p, 0).Mean).ToArray(), refs.Select(p => Acc(p, 0).Std).ToArray()));
        const string plot = "fs_embedding_randbit.png";
        result.Plots.Add(new PlotSpec(plot, "Feature suppression vs embedding size (CIFAR-10 + RandBit, UCL)", "embedding size p",
            "class linear-probe test accuracy", series, LogX: true, ReferenceLines: [new ReferenceLine("chance (10 classes)", Chance)], YMin: 0, YMax: 1));

        var a4 = Acc(4, k); var a64 = Acc(64, k); var a128 = Acc(128, k);
        bool holds = LargerEmbeddingRecovers.Holds(new EmbeddingSizeMeans(a4.Mean, a64.Mean, a128.Mean));
        var values = new List<KeyValuePair<string, Stat>>();
        foreach (int p in sizes) values.Add(new($"class_probe_p{p}_k{k}", Acc(p, k)));
        foreach (int p in refs) values.Add(new($"class_probe_p{p}_k0", Acc(p, 0)));
        foreach (var (p, paper) in PaperNumbers.RandBitAccuracyByEmbedding.OrderBy(kv => kv.Key)) values.Add(new($"paper_class_accuracy_p{p}", Stat.Of([paper])));

        string refNote = refs.Length == 0 ? "No k = 0 reference at this scale." :
            "k = 0 reference: " + string.Join("; ", refs.Select(p => $"p = {p}: {RealRunner.Describe(Acc(p, 0))} (RandBit costs {RealRunner.Fixed4(Acc(p, 0).Mean - Acc(p, k).Mean)})")) + ".";
        result.Claims.Add(new ClaimResult
        {
            Id = ClaimId,
            Statement = "With an easy irrelevant feature (RandBit), a small embedding suppresses the class features; a larger embedding recovers them (feature suppression shrinks with embedding size).",
            Criterion = LargerEmbeddingRecovers.Sentence(("seeds", o.Seeds), ("k", k)),
            Holds = holds,
            Method = $"SimCLR/UCL, {s.Describe()}; offline linear probe ({RealRunner.ProbedLayer}) on the class label, last epoch",
            Values = values,
            Notes = $"Class probe: p=4 {RealRunner.Describe(a4)}, p=64 {RealRunner.Describe(a64)}, p=128 {RealRunner.Describe(a128)}; " +
                    $"paper {string.Join(" / ", PaperNumbers.RandBitAccuracyByEmbedding.OrderBy(kv => kv.Key).Select(kv => RealRunner.Fixed4(kv.Value)))} (ResNet-scale, far longer training: our absolute numbers are lower by design). {refNote} " +
                    $"{RealRunner.Cost(runs.Values.SelectMany(l => l).ToList())}." +
                    (holds ? "" : " The ordering the paper reports did not appear at this scale.") +
                    (holds && RealRunner.WithinSeedSpread(a4, a64)
                        ? $" The gap acc(64) - acc(4) = {RealRunner.Fixed4(a64.Mean - a4.Mean)} is inside the seeds' spread (std up to {RealRunner.Fixed4(Math.Max(a4.Std, a64.Std))}), so the ordering holds on the means but is weak evidence."
                        : "") +
                    (sizes.All(p => Acc(p, k).Max < Chance + 0.05)
                        ? $" Every embedding size is within 5 points of chance ({RealRunner.Fixed4(Chance)}): at this scale the bits suppress the class at every size."
                        : ""),
            Plots = [plot],
        });
        return result;
    }
}
