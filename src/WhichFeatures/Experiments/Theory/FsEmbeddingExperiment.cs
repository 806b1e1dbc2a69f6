using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;
using static WhichFeatures.Experiments.Theory.TheoryRuntime;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// FS-1: spectral UCL with one easy irrelevant bit (c &gt; a) kept by the augmentation. The min-norm minimizer keeps the
/// p highest-energy shared features (PCA-like), so at p = 1 the bit wins and the class is suppressed; p = 2 is the remedy.
/// The closed form is checked against GD from a small initialisation on the same fixed views.
/// </summary>
public sealed class FsEmbeddingExperiment : SeededTheoryExperiment<FsEmbeddingExperiment.SeedResult>
{
    /// <summary>One seed's min-norm metrics at the smallest embedding and at the remedy size.</summary>
    /// <param name="Small">At the smallest p of the sweep.</param>
    /// <param name="Remedy">At the remedy size.</param>
    public sealed record SizePair(ModelMetrics Small, ModelMetrics Remedy);

    private static readonly Threshold ShareRatio = TheoryThresholds.ShareRatio;
    private static readonly Threshold RemedyAccuracy = new("remedy_acc", 0.95);
    private static readonly Threshold AccuracyGap = new("acc_gap", 0.05);

    /// <summary>The smallest embedding size of the sweep, stated in FS-1's sentence.</summary>
    public static readonly Placeholder SmallestSize = new("p0");
    /// <summary>The remedy embedding size, stated in FS-1's sentence.</summary>
    public static readonly Placeholder RemedySize = new("remedy");

    /// <summary>FS-1's criterion, decided per seed.</summary>
    public static readonly Criterion<SizePair> SmallEmbeddingSuppresses = new(
        $"With one easy irrelevant feature, at the smallest embedding (p = {SmallestSize}) the class feature is suppressed (class share ≤ {ShareRatio}x its share at the remedy size p = {RemedySize}, whose class accuracy is ≥ {RemedyAccuracy}) and its class accuracy is at least {AccuracyGap} lower than at the remedy size. Required on every seed.",
        (c, s) => s.Small.ClassShare <= c[ShareRatio] * s.Remedy.ClassShare && s.Remedy.TestClassAccuracy >= c[RemedyAccuracy] &&
                  s.Small.TestClassAccuracy <= s.Remedy.TestClassAccuracy - c[AccuracyGap]);

    /// <inheritdoc />
    public override string Name => "fs-embedding";
    /// <inheritdoc />
    public override string Description => "FS-1: with an easy irrelevant bit, a too-small embedding suppresses the class feature (spectral UCL, min-norm); a larger one does not.";
    /// <inheritdoc />
    public override IReadOnlyList<string> ClaimIds => ["FS-1"];

    /// <summary>Embedding sizes swept (the first is the "insufficient" one).</summary>
    public static int[] Sweep(TheoryRunOptions o) => o.P is { } p ? (p == 1 ? [1, 2] : [1, p]) : [1, 2, 4, 8];

    /// <summary>Remedy embedding size: 2 = the number of features the views share (class + bit), fixed before running.</summary>
    public static int RemedyP(TheoryRunOptions o) => o.P is { } p && p > 1 ? p : 2;

    /// <summary>The data: class a, one easy bit c, no subclass, noise redrawn per view.</summary>
    public static SyntheticDataConfig Config(TheoryRunOptions o) => o.Data(new SyntheticDataConfig
    {
        SubclassesPerClass = 1, SubclassStrength = 0, EasyStrength = 2.0, EasyCount = 1, Augmentation = AugmentationModel.Imperfect,
    }, easy: true);

    /// <summary>The GD check setup (spectral UCL; --loss infonce trains SimCLR instead and is compared with the spectral closed form).</summary>
    public static TrainingSetup Setup(TheoryRunOptions o, int p) => new TrainingSetup
    {
        Family = o.Loss ?? LossFamily.Spectral, Kind = ContrastiveLossKind.Ucl, P = p, Temperature = o.Temperature ?? 0.5, Normalize = o.Normalize ?? true, Steps = o.Steps ?? (o.Quick ? 400 : 600),
        LearningRate = o.LearningRate ?? 0.03, InitStd = o.InitStd ?? 1e-4, BatchSize = o.BatchSize ?? 0, LogPoints = 2,
    }.Validate();

    /// <summary>One seed's measurements.</summary>
    /// <param name="ClosedForm">Min-norm solution metrics at each p of the sweep followed by the GD check sizes (<see cref="ClosedFormSizes"/> order).</param>
    /// <param name="Gd">GD solution metrics at each GD check size (smallest p, remedy p).</param>
    /// <param name="GdDistance">Gram distance of each GD solution to the min-norm one.</param>
    public sealed record SeedResult(IReadOnlyList<ModelMetrics> ClosedForm, IReadOnlyList<ModelMetrics> Gd, IReadOnlyList<double> GdDistance);

    /// <summary>The sizes the closed form is solved at: the sweep, then the GD check sizes not in it.</summary>
    public static int[] ClosedFormSizes(TheoryRunOptions o) => Sweep(o).Union(GdSizes(o)).ToArray();

    /// <summary>The sizes GD is checked at: the smallest of the sweep and the remedy size.</summary>
    public static int[] GdSizes(TheoryRunOptions o) => [Sweep(o)[0], RemedyP(o)];

    /// <inheritdoc />
    protected override void Check(TheoryRunOptions options)
    {
        var cfg = Config(options);
        RequireOverparameterised(2 * cfg.N, cfg.D, "FS-1 (min-norm over 2n views)");
        if (cfg.EasyStrength <= 0) throw new UserInputException("--c must be > 0: FS-1 needs an easy irrelevant feature.");
    }

    /// <inheritdoc />
    protected override double WorkPerSeed(TheoryRunOptions options) => Sweep(options).Length + GdSizes(options).Length * Setup(options, 1).Steps;

    /// <inheritdoc />
    protected override SeedResult RunSeed(TheoryRunOptions options, long seed, IProgressTask task, CancellationToken ct)
    {
        var cfg = Config(options);
        using var scope = NewDisposeScope();
        var (dataSeed, trainSeed) = Seeds.Theory(seed);
        var (train, test) = SyntheticDataset.GenerateSplit(cfg, dataSeed);
        using var _tr = train; using var _te = test;
        var g = new Generator(trainSeed);
        var (v1, v2) = train.DrawViews(g);                                                  // fixed views [n, d]
        var rows = cat(new[] { v1, v2 }, 0);                                               // [2n, d]
        var a = SpectralContrastiveLoss.UclWeights(train.Count);
        var sols = new Dictionary<int, Tensor>();
        var closed = new List<ModelMetrics>();
        foreach (var p in ClosedFormSizes(options))
        {
            ct.ThrowIfCancellationRequested();
            var sol = SpectralMinimizer.MinNorm(rows, a, p);
            sols[p] = sol.W;
            closed.Add(LinearModelEvaluator.Evaluate(sol.W, train, test));
            task.Increment();
        }
        var gd = new List<ModelMetrics>();
        var dist = new List<double>();
        foreach (var p in GdSizes(options))
        {
            using var w = LinearTrainer.Train(train, Setup(options, p), new Generator(Seeds.Theory(seed).TrainOnFixedViews), null, task, ct, (v1, v2));
            gd.Add(LinearModelEvaluator.Evaluate(w, train, test));
            dist.Add(LinearModelEvaluator.GramDistance(w, sols[p], test.X));
        }
        return new SeedResult(closed, gd, dist);
    }

    /// <inheritdoc />
    public override ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<SeedResult> perSeed)
    {
        var cfg = Config(options);
        var ps = Sweep(options);
        int remedy = RemedyP(options);
        var seeds = options.SeedList;
        var closedPs = ClosedFormSizes(options);
        var gdPs = GdSizes(options);
        var table = new DataTable("fs_embedding", "seed", "p", "solver", "class_share", "easy_share", "class_weight", "easy_weight", "noise_weight", "test_class_acc", "test_easy_acc", "gram_distance_to_min_norm");
        var closed = new Dictionary<(long, int), ModelMetrics>();
        var gdDist = new Dictionary<(long, int), double>();
        for (int i = 0; i < seeds.Count; i++)
        {
            var (seed, r) = (seeds[i], perSeed[i]);
            for (int j = 0; j < closedPs.Length; j++)
            {
                var (p, m) = (closedPs[j], r.ClosedForm[j]);
                closed[(seed, p)] = m;
                table.Add(seed, p, "min-norm", m.ClassShare, m.EasyShare, m.ClassWeight, m.EasyWeight, m.NoiseWeight, m.TestClassAccuracy, m.TestEasyAccuracy, 0.0);
            }
            for (int j = 0; j < gdPs.Length; j++)
            {
                var (p, m, dist) = (gdPs[j], r.Gd[j], r.GdDistance[j]);
                gdDist[(seed, p)] = dist;
                table.Add(seed, p, "GD", m.ClassShare, m.EasyShare, m.ClassWeight, m.EasyWeight, m.NoiseWeight, m.TestClassAccuracy, m.TestEasyAccuracy, dist);
            }
        }

        var result = new ExperimentResult { Name = Name, Parameters = new { Data = cfg, Sweep = ps, RemedyP = remedy, GdCheck = Setup(options, remedy), Seeds = seeds } };
        result.Tables.Add(table);
        double[] px = ps.Select(p => (double)p).ToArray();
        const string plot = "fs1_accuracy_vs_embedding_size.png";
        result.Plots.Add(new PlotSpec(plot, "FS-1: spectral UCL min-norm, easy bit vs class", "embedding size p", "accuracy / share",
        [
            new("test class acc", px, ps.Select(p => seeds.Average(s => closed[(s, p)].TestClassAccuracy)).ToArray(), ps.Select(p => Stat.Of(seeds.Select(s => closed[(s, p)].TestClassAccuracy)).Std).ToArray()),
            new("test easy-bit acc", px, ps.Select(p => seeds.Average(s => closed[(s, p)].TestEasyAccuracy)).ToArray()),
            new("class share", px, ps.Select(p => seeds.Average(s => closed[(s, p)].ClassShare)).ToArray()),
            new("easy-bit share", px, ps.Select(p => seeds.Average(s => closed[(s, p)].EasyShare)).ToArray()),
        ], LogX: true, ReferenceLines: [new ReferenceLine("chance (class)", 0.5)], YMin: 0, YMax: 1.02));

        int p0 = ps[0];
        bool holds = SmallEmbeddingSuppresses.HoldsOnEvery(seeds.Select(s => new SizePair(closed[(s, p0)], closed[(s, remedy)])));
        var acc0 = Stat.Of(seeds.Select(s => closed[(s, p0)].TestClassAccuracy));
        var accR = Stat.Of(seeds.Select(s => closed[(s, remedy)].TestClassAccuracy));
        var share0 = Stat.Of(seeds.Select(s => closed[(s, p0)].ClassShare));
        var shareR = Stat.Of(seeds.Select(s => closed[(s, remedy)].ClassShare));
        var d0 = Stat.Of(seeds.Select(s => gdDist[(s, p0)]));
        var dR = Stat.Of(seeds.Select(s => gdDist[(s, remedy)]));
        result.Claims.Add(new ClaimResult
        {
            Id = "FS-1",
            Statement = "With easy task-irrelevant features and an insufficient embedding size, the min-norm minimizer suppresses the class feature; a larger embedding is the remedy.",
            Criterion = SmallEmbeddingSuppresses.Sentence((SmallestSize, p0), (RemedySize, remedy)),
            Holds = holds,
            Method = $"spectral UCL on fixed views (class and bit kept, noise redrawn per view), closed-form min-norm minimizer (top-p PCA-like tie-break), p ∈ {{{string.Join(", ", ps)}}}; checked against {Setup(options, remedy).Describe()}",
            Values =
            [
                new($"class_share_p{p0}", share0), new($"class_share_p{remedy}", shareR), ValueRow("class_share_ratio", seeds.Select(s => closed[(s, p0)].ClassShare / closed[(s, remedy)].ClassShare)),
                new($"test_class_acc_p{p0}", acc0), new($"test_class_acc_p{remedy}", accR),
                ValueRow($"test_easy_acc_p{p0}", seeds.Select(s => closed[(s, p0)].TestEasyAccuracy)),
                new($"gd_gram_distance_to_min_norm_p{p0}", d0), new($"gd_gram_distance_to_min_norm_p{remedy}", dR),
            ],
            Notes = $"p = {p0}: class share {Describe(share0)}, class accuracy {Describe(acc0)} (the easy bit, c = {cfg.EasyStrength} > a = {cfg.ClassStrength}, takes the only direction). " +
                    $"p = {remedy} (remedy): class share {Describe(shareR)}, class accuracy {Describe(accR)}. " +
                    $"GD from a small init on the same views ends at the closed form (Gram distance {Describe(d0)} at p = {p0}, {Describe(dR)} at p = {remedy}), which confirms the derived top-p min-norm rule.",
            Plots = [plot],
        });
        return result;
    }
}
