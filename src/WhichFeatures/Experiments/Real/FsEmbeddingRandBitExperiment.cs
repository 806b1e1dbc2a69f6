using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Feature suppression vs embedding size (docs/paper.md §5, RandBit): SimCLR (UCL) on images with k RandBit channels
/// appended after augmentation. The bits are identical in both views and nearly identify an image, so an embedding
/// (the output the loss reads) of few dimensions spends them on the bits and the encoder stops learning the class;
/// a larger embedding has room for both. The class is probed on the encoder output, before the projection head.
/// The paper reports CIFAR10-RandBit class accuracy 86.73 / 96.82 / 97.65 at embedding sizes 4 / 64 / 128; k = 0
/// runs are the reference without the easy feature. One class, two experiments: MNIST-RandBit (Chen et al.'s
/// dataset) and CIFAR10-RandBit.
/// </summary>
public sealed class FsEmbeddingRandBitExperiment : IRealExperiment
{
    /// <summary>Class-probe accuracy over seeds at the sizes the criterion compares, with RandBit and without (p = 4).</summary>
    public sealed record EmbeddingSizeStats(Stat P4, Stat P128, Stat Reference4);

    /// <summary>The RandBit channel count k, stated in the sentence.</summary>
    public static readonly Placeholder RandBits = new("k");

    /// <summary>The claim's criterion, under the rule of evidence (<see cref="SeedGap"/>).</summary>
    public static readonly Criterion<EmbeddingSizeStats> SuppressedSmallRecoveredLarge = new(
        $"last-epoch class linear-probe test accuracy over {SeedGap.SeedCount} seeds, UCL with RandBit k = {RandBits}: acc(p=4) < acc_no_bits(p=4) (the bits suppress the class at a small embedding), " +
        $"acc(p=4) < acc(p=128) (a larger embedding recovers it); each gap must exceed {SeedGap.Spread} x the larger standard deviation over seeds of its two sides",
        (_, a) => SeedGap.Clear(a.P4, a.Reference4) && SeedGap.Clear(a.P4, a.P128));

    private readonly Func<RealSchedule, RunPreset> _preset;
    private readonly Func<RealSchedule, int[]> _sizes;
    private readonly Func<RealSchedule, int[]> _references;
    private readonly Func<RealSchedule, RunPreset?> _barReference;
    private readonly string _slug;

    /// <summary>The experiment on the dataset of one of the schedule's presets.</summary>
    /// <param name="name">CLI name, e.g. "fs-embedding-mnist-randbit".</param>
    /// <param name="claimId">Its claim id.</param>
    /// <param name="datasetTitle">How reports name the default dataset, e.g. "MNIST".</param>
    /// <param name="preset">Which preset of the schedule it runs.</param>
    /// <param name="sizes">Which embedding sizes of the schedule it sweeps.</param>
    /// <param name="references">Which of the schedule's sizes it also trains without RandBit.</param>
    /// <param name="barReference">A learning-bar reference at its own settings (null: none), reported beside the references' bars.</param>
    public FsEmbeddingRandBitExperiment(string name, string claimId, string datasetTitle, Func<RealSchedule, RunPreset> preset, Func<RealSchedule, int[]> sizes,
        Func<RealSchedule, int[]> references, Func<RealSchedule, RunPreset?>? barReference = null)
    {
        _sizes = sizes;
        _references = references;
        _barReference = barReference ?? (_ => null);
        Name = name;
        ClaimId = claimId;
        DatasetTitle = datasetTitle;
        _preset = preset;
        _slug = name.Replace('-', '_');
    }

    /// <summary>The MNIST-RandBit experiment.</summary>
    public static FsEmbeddingRandBitExperiment Mnist { get; } = new("fs-embedding-mnist-randbit", "REAL-FS-EMB-MNIST", "MNIST", s => s.MnistRandBit, s => s.EmbeddingSizes, s => s.ReferenceSizes);
    /// <summary>The CIFAR10-RandBit experiment.</summary>
    public static FsEmbeddingRandBitExperiment Cifar10 { get; } = new("fs-embedding-cifar10-randbit", "REAL-FS-EMB-CIFAR10", "CIFAR-10", s => s.Cifar10RandBit, s => s.Cifar10EmbeddingSizes, s => s.Cifar10ReferenceSizes,
        s => s.Cifar10BarReference);

    /// <summary>The claim id.</summary>
    public string ClaimId { get; }
    /// <summary>The default dataset's name in reports.</summary>
    public string DatasetTitle { get; }
    /// <inheritdoc />
    public string Name { get; }
    /// <inheritdoc />
    public string Description => $"UCL on {DatasetTitle} + RandBit: class probe accuracy vs embedding size, k = 0 as reference";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId];

    private List<(int P, int K)> Configs(RealSchedule s, RunPreset preset) =>
        _sizes(s).Order().Select(p => (P: p, K: preset.RandBits)).Concat(_references(s).Order().Select(p => (P: p, K: 0))).ToList();

    private static string Tag((int P, int K) c) => $"ucl-p{c.P}-k{c.K}";

    // The bar reference's run tag names what differs from the sweep: its encoder and its images.
    private static string BarTag(RealSchedule s, RunPreset bar) => $"ucl-p{bar.ProjectionDim}-k0-{bar.Model ?? s.Model}-{bar.TrainSize}-bar";

    /// <inheritdoc />
    public IReadOnlyList<RealRunSpec> Runs(RealRunOptions options, RealSchedule s)
    {
        var o = options.Validate();
        var preset = _preset(s);
        foreach (int p in new[] { 4, 128 })
            if (!_sizes(s).Contains(p)) throw new UserInputException($"{Name}: the embedding sweep must contain 4 and 128 (the claim's sizes); got {string.Join(", ", _sizes(s))}.");
        if (!_references(s).Contains(4)) throw new UserInputException($"{Name}: the k = 0 reference must include embedding size 4 (the claim compares with it).");
        if (preset.RandBits < 1) throw new UserInputException($"{Name}: RandBit k must be at least 1.");
        var sweep = Configs(s, preset).SelectMany(c => RealRunner.SeedList(o, preset).Select(seed => new RealRunSpec(Name, Tag(c),
            RealRunner.Config(o, s, preset, seed, ContrastiveLossKind.Ucl, embedding: c.P, randBits: c.K), [LabelKeys.Class], s.ProbeIterations)));
        var bar = _barReference(s) is { } b
            ? RealRunner.SeedList(o, b).Select(seed => new RealRunSpec(Name, BarTag(s, b),
                RealRunner.Config(o, s, b, seed, ContrastiveLossKind.Ucl, randBits: 0), [LabelKeys.Class], s.ProbeIterations))
            : [];
        return sweep.Concat(bar).ToList();
    }

    /// <inheritdoc />
    public ExperimentResult Summarise(RealRunOptions o, RealSchedule s, IReadOnlyList<RealRunSummary> results)
    {
        var preset = _preset(s);
        var configs = Configs(s, preset);
        var sweep = new SizeSweep(preset.RandBits, _sizes(s).Order().ToArray(), _references(s).Order().ToArray(), configs.ToDictionary(c => c, c => RealRunner.WithTag(results, Tag(c))));
        string dataset = sweep.Runs.Values.First().First().Config.Dataset;
        var paperNumbers = dataset == DatasetRegistry.Cifar10 ? PaperNumbers.RandBitAccuracyByEmbedding : new Dictionary<int, double>();
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s } };
        result.Tables.Add(SweepTable(sweep, configs, paperNumbers));
        if (paperNumbers.Count > 0) result.Tables.Add(VersusPaperTable(sweep, paperNumbers));
        string plot = $"{_slug}.png";
        result.Plots.Add(new PlotSpec(plot, $"Feature suppression vs embedding size ({DatasetTitle} + RandBit, UCL)", "embedding size p (output the loss reads)",
            "class linear-probe test accuracy (encoder output)", PlotLines(sweep, paperNumbers), LogX: true, ReferenceLines: [new ReferenceLine("chance", 1.0 / 10)], YMin: 0, YMax: 1));

        int k = sweep.K;
        var stats = new EmbeddingSizeStats(sweep.Acc(4, k), sweep.Acc(128, k), sweep.Acc(4, 0));
        bool holds = SuppressedSmallRecoveredLarge.Holds(stats);
        var barPreset = _barReference(s);
        string? barTag = barPreset is null ? null : BarTag(s, barPreset);
        var barRuns = barTag is null ? [] : RealRunner.WithTag(results, barTag);
        var bars = sweep.References.Select(p => (Run: Tag((p, 0)), Bar: LearningBar.Of(sweep.Runs[(p, 0)], LabelKeys.Class))).ToList();
        if (barRuns.Count > 0) bars.Add((Run: barTag!, Bar: LearningBar.Of(barRuns, LabelKeys.Class)));
        result.Tables.Add(LearningBar.Table($"{_slug}_learning_bars", bars));
        result.Claims.Add(new ClaimResult
        {
            Id = ClaimId,
            Statement = $"On {DatasetTitle} with an easy irrelevant feature (RandBit), a small embedding suppresses the class features; a larger embedding recovers them.",
            Criterion = SuppressedSmallRecoveredLarge.Sentence((SeedGap.SeedCount, RealRunner.SeedCount(o, preset)), (RandBits, k)),
            Holds = holds,
            Method = $"SimCLR/UCL, {s.Describe()}; {preset.Describe()}; embedding = projection head output; offline linear probe ({RealRunner.ProbedLayer}) on the class label, last epoch" +
                     (barRuns.Count > 0 ? $"; learning-bar reference {barTag}: {barPreset!.Describe()}, no RandBit" : "") +
                     o.ScoredSplitNote,
            Values = ValueRows(sweep, paperNumbers),
            Notes = $"{SeedGap.Describe("p=4 with bits", stats.P4, "p=4 without bits", stats.Reference4)}; {SeedGap.Describe("p=4", stats.P4, "p=128", stats.P128)}. " +
                    (paperNumbers.Count > 0 ? $"Paper {string.Join(" / ", paperNumbers.OrderBy(kv => kv.Key).Select(kv => RealRunner.Fixed4(kv.Value)))} at p = 4 / 64 / 128 (ResNet-18, far longer training). " : "") +
                    string.Join("; ", bars.Select(b => b.Bar.Describe(b.Run))) + ". " +
                    $"{RealRunner.Cost(sweep.Runs.Values.SelectMany(l => l).ToList())}" + (barRuns.Count > 0 ? $"; the bar reference: {RealRunner.Cost(barRuns)}" : "") + "." +
                    (holds ? "" : " Not shown at this scale: see which gap fell short above."),
            Plots = [plot],
        });
        result.Tables.Add(RealRunner.BaselineTable($"{_slug}_baselines", sweep.Runs.Values.SelectMany(l => l).Concat(barRuns)));
        return result;
    }

    /// <summary>The runs by (embedding size, RandBit count): the sizes with k bits, and the k = 0 reference sizes.</summary>
    private sealed record SizeSweep(int K, int[] Sizes, int[] References, Dictionary<(int P, int K), List<RealRunSummary>> Runs)
    {
        /// <summary>Class-probe accuracy over seeds.</summary>
        public Stat Acc(int p, int bits) => RealRunner.Over(Runs[(p, bits)], r => r.ProbeTest[LabelKeys.Class]);

        /// <summary>The same encoder's class-probe accuracy at random initialisation.</summary>
        public Stat RandomInit(int p, int bits) => LearningBar.Of(Runs[(p, bits)], LabelKeys.Class).RandomInit;
    }

    private DataTable SweepTable(SizeSweep sweep, List<(int P, int K)> configs, IReadOnlyDictionary<int, double> paperNumbers)
    {
        var table = new DataTable(_slug, "embedding", "randbits", "class_probe_mean", "class_probe_std", "class_probe_min", "class_probe_max",
            "random_init_mean", "paper_class_accuracy", "seeds");
        foreach (var (p, bits) in configs)
        {
            var a = sweep.Acc(p, bits);
            table.Add(p, bits, a.Mean, a.Std, a.Min, a.Max, sweep.RandomInit(p, bits).Mean,
                bits == sweep.K && paperNumbers.TryGetValue(p, out var paper) ? paper : double.NaN, a.PerSeed.Count);
        }
        return table;
    }

    private DataTable VersusPaperTable(SizeSweep sweep, IReadOnlyDictionary<int, double> paperNumbers)
    {
        var vsPaper = new DataTable($"{_slug}_vs_paper", "embedding", "ours_class_probe", "ours_std", "paper", "paper_setup");
        foreach (var (p, paper) in paperNumbers.Where(kv => sweep.Sizes.Contains(kv.Key)).OrderBy(kv => kv.Key))
            vsPaper.Add(p, sweep.Acc(p, sweep.K).Mean, sweep.Acc(p, sweep.K).Std, paper, "CIFAR10-RandBit, ResNet-scale (slides)");
        return vsPaper;
    }

    private static List<PlotSeries> PlotLines(SizeSweep sweep, IReadOnlyDictionary<int, double> paperNumbers)
    {
        var (k, sizes, refs) = (sweep.K, sweep.Sizes, sweep.References);
        var series = new List<PlotSeries>
        {
            new($"UCL + RandBit k={k} (ours, mean ± std)", sizes.Select(p => (double)p).ToArray(), sizes.Select(p => sweep.Acc(p, k).Mean).ToArray(), sizes.Select(p => sweep.Acc(p, k).Std).ToArray()),
        };
        if (refs.Length > 0)
            series.Add(new("UCL, no RandBit (reference)", refs.Select(p => (double)p).ToArray(), refs.Select(p => sweep.Acc(p, 0).Mean).ToArray(), refs.Select(p => sweep.Acc(p, 0).Std).ToArray()));
        series.Add(new("same encoder at random init, k = " + k, sizes.Select(p => (double)p).ToArray(), sizes.Select(p => sweep.RandomInit(p, k).Mean).ToArray()));
        if (paperNumbers.Count > 0)
            series.Add(new("paper (CIFAR10-RandBit, ResNet-18)", paperNumbers.Keys.Order().Select(p => (double)p).ToArray(), paperNumbers.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray()));
        return series;
    }

    private static List<KeyValuePair<string, Stat>> ValueRows(SizeSweep sweep, IReadOnlyDictionary<int, double> paperNumbers)
    {
        var values = new List<KeyValuePair<string, Stat>>();
        foreach (int p in sweep.Sizes) values.Add(new($"class_probe_p{p}_k{sweep.K}", sweep.Acc(p, sweep.K)));
        foreach (int p in sweep.References) values.Add(new($"class_probe_p{p}_k0", sweep.Acc(p, 0)));
        foreach (var (p, paper) in paperNumbers.OrderBy(kv => kv.Key)) values.Add(new($"paper_class_accuracy_p{p}", Stat.Of([paper])));
        return values;
    }
}
