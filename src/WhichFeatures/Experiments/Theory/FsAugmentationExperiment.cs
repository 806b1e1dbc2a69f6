using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;
using static WhichFeatures.Experiments.Theory.TheoryRuntime;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// FS-2: diverse irrelevant features (a fresh random vector of norm gamma per example in an m-dimensional subspace)
/// that the augmentation keeps make UCL suppress the class feature at every embedding size, up to p ≥ n; redrawing
/// them (perfect augmentation) is the remedy. Decided with normalised InfoNCE trained by GD on fresh views; the spectral
/// min-norm minimizer on one fixed draw of the views is reported alongside.
/// </summary>
public sealed class FsAugmentationExperiment : SeededTheoryExperiment<FsAugmentationExperiment.SeedResult>
{
    /// <summary>One seed's GD metrics at one embedding size under both augmentations.</summary>
    /// <param name="Imperfect">Diverse irrelevant features kept by the augmentation.</param>
    /// <param name="Perfect">Perfect augmentation.</param>
    public sealed record AugmentationPair(ModelMetrics Imperfect, ModelMetrics Perfect);

    private static readonly Threshold ShareRatio = TheoryThresholds.ShareRatio;
    private static readonly Threshold PerfectAccuracy = new("perfect_acc", 0.95);

    /// <summary>The number of training examples n, stated in FS-2's sentence.</summary>
    public static readonly Placeholder TrainingExamples = new("n");

    /// <summary>FS-2's criterion, decided per seed and embedding size.</summary>
    public static readonly Criterion<AugmentationPair> ImperfectAugmentationSuppresses = new(
        $"With diverse irrelevant features kept by the augmentation, at every p of the sweep (up to p ≥ n = {TrainingExamples}) the class feature is suppressed relative to perfect augmentation at the same p (class share ≤ {ShareRatio}x), and the class accuracy is lower than with perfect augmentation (report both); with perfect augmentation it is ≥ {PerfectAccuracy}. Required on every seed.",
        (c, x) => x.Imperfect.ClassShare <= c[ShareRatio] * x.Perfect.ClassShare && x.Imperfect.TestClassAccuracy < x.Perfect.TestClassAccuracy &&
                  x.Perfect.TestClassAccuracy >= c[PerfectAccuracy]);

    /// <inheritdoc />
    public override string Name => "fs-augmentation";
    /// <inheritdoc />
    public override string Description => "FS-2: with diverse irrelevant features kept by the augmentation, UCL suppresses the class feature at every embedding size; perfect augmentation fixes it.";
    /// <inheritdoc />
    public override IReadOnlyList<string> ClaimIds => ["FS-2"];

    /// <summary>
    /// Embedding sizes: n/2, n, 2n (or the given p together with n). FS-2 is about large p; below n/2 the perfect-augmentation
    /// remedy itself falls short in this setting (p = n/4 = 8: class accuracy 0.88, see docs/theory.md), an embedding-size effect (FS-1's regime).
    /// </summary>
    public static int[] Sweep(TheoryRunOptions o, int n) =>
        o.P is { } p ? new[] { p, n }.Distinct().OrderBy(x => x).ToArray() : new[] { Math.Max(1, n / 2), n, 2 * n };

    /// <summary>The data with the given augmentation: class a, no subclass, diverse features, noise redrawn per view.</summary>
    public static SyntheticDataConfig Config(TheoryRunOptions o, bool perfect) => o.Data(new SyntheticDataConfig
    {
        N = 32, D = 768, SubclassesPerClass = 1, SubclassStrength = 0, DiverseDims = 512, DiverseNorm = 15.0,
        Augmentation = perfect ? AugmentationModel.Perfect : AugmentationModel.Imperfect,
    }, diverse: true);

    /// <summary>The training setup (normalised InfoNCE by default; --loss spectral trains the spectral loss instead).</summary>
    public static TrainingSetup Setup(TheoryRunOptions o, int p) => new TrainingSetup
    {
        Family = o.Loss ?? LossFamily.InfoNce, Kind = ContrastiveLossKind.Ucl, P = p, Steps = o.Steps ?? (o.Quick ? 800 : 1500),
        LearningRate = o.LearningRate ?? 0.25, Temperature = o.Temperature ?? 0.5, Normalize = o.Normalize ?? true, InitStd = o.InitStd ?? 1e-3,
        BatchSize = o.BatchSize ?? 0, FreshViews = true, LogPoints = 1,
    }.Validate();

    /// <summary>One seed's measurements, imperfect augmentation first, then perfect; within each, one entry per p of the sweep.</summary>
    /// <param name="Gd">Metrics of the GD solution (InfoNCE by default).</param>
    /// <param name="MinNorm">Metrics of the spectral min-norm solution on one fixed draw of the views.</param>
    public sealed record SeedResult(IReadOnlyList<ModelMetrics> Gd, IReadOnlyList<ModelMetrics> MinNorm);

    private static readonly bool[] Augmentations = [false, true];

    /// <inheritdoc />
    protected override void Check(TheoryRunOptions options)
    {
        var cfgImp = Config(options, perfect: false);
        Config(options, perfect: true);
        if (cfgImp.DiverseDims < 1 || cfgImp.DiverseNorm <= 0) throw new UserInputException("--m and --gamma must be > 0: FS-2 needs diverse irrelevant features.");
        RequireOverparameterised(2 * cfgImp.N, cfgImp.D, "FS-2 (min-norm over 2n views)");
    }

    /// <inheritdoc />
    protected override double WorkPerSeed(TheoryRunOptions options)
    {
        var ps = Sweep(options, Config(options, perfect: false).N);
        return (double)ps.Length * 2 * Setup(options, ps[0]).Steps;
    }

    /// <inheritdoc />
    protected override SeedResult RunSeed(TheoryRunOptions options, long seed, IProgressTask task, CancellationToken ct)
    {
        var ps = Sweep(options, Config(options, perfect: false).N);
        var gd = new List<ModelMetrics>();
        var minNorm = new List<ModelMetrics>();
        foreach (var perfect in Augmentations)
        {
            using var scope = NewDisposeScope();
            var cfg = Config(options, perfect);
            var (dataSeed, trainSeed) = Seeds.Theory(seed);
            // Same seed → the same examples under both augmentations (only the views differ).
            var (train, test) = SyntheticDataset.GenerateSplit(cfg, dataSeed);
            using var _tr = train; using var _te = test;
            var (v1, v2) = train.DrawViews(new Generator(Seeds.Theory(seed).FixedViews));
            var rows = cat(new[] { v1, v2 }, 0);                                           // [2n, d]
            var a = SpectralContrastiveLoss.UclWeights(train.Count);
            foreach (var p in ps)
            {
                ct.ThrowIfCancellationRequested();
                var setup = Setup(options, p);
                double loss = double.NaN;
                using var w = LinearTrainer.Train(train, setup, new Generator(trainSeed), (step, W, l) => loss = l, task, ct);
                gd.Add(LinearModelEvaluator.Evaluate(w, train, test, loss));
                var sol = SpectralMinimizer.MinNorm(rows, a, p);
                minNorm.Add(LinearModelEvaluator.Evaluate(sol.W, train, test));
            }
        }
        return new SeedResult(gd, minNorm);
    }

    /// <inheritdoc />
    public override ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<SeedResult> perSeed)
    {
        var cfgImp = Config(options, perfect: false);
        var cfgPerf = Config(options, perfect: true);
        var ps = Sweep(options, cfgImp.N);
        var seeds = options.SeedList;
        var setup0 = Setup(options, ps[0]);
        var (runs, table) = Collect(options, ps, perSeed);
        var result = new ExperimentResult { Name = Name, Parameters = new { Imperfect = cfgImp, Perfect = cfgPerf, Sweep = ps, Training = setup0, Seeds = seeds } };
        result.Tables.Add(table);
        result.Plots.Add(AccuracyPlot(runs));
        result.Claims.Add(new ClaimResult
        {
            Id = "FS-2",
            Statement = "With highly diverse irrelevant features and imperfect augmentation, UCL suppresses the class feature even with an arbitrarily large embedding; better augmentation is the remedy.",
            Criterion = ImperfectAugmentationSuppresses.Sentence((TrainingExamples, cfgImp.N)),
            Holds = ImperfectAugmentationSuppresses.HoldsOnEvery(seeds.SelectMany(s => ps.Select(p => new AugmentationPair(runs.Gd[(s, p, false)], runs.Gd[(s, p, true)])))),
            Method = setup0.Describe().Replace($"p {ps[0]}", $"p ∈ {{{string.Join(", ", ps)}}}") + $"; m = {cfgImp.DiverseDims} diverse dims of norm {cfgImp.DiverseNorm}; spectral min-norm on fixed views reported for comparison",
            Values = ValueRows(runs),
            Notes = Notes(runs),
            Plots = [AccuracyPlotFile],
        });
        return result;
    }

    private const string AccuracyPlotFile = "fs2_accuracy_vs_embedding_size.png";

    /// <summary>Every seed's metrics by (seed, p, perfect augmentation), for GD and for the spectral min-norm solution.</summary>
    private sealed record Runs(
        IReadOnlyList<long> Seeds, int[] Ps,
        Dictionary<(long Seed, int P, bool Perfect), ModelMetrics> Gd, Dictionary<(long Seed, int P, bool Perfect), ModelMetrics> MinNorm)
    {
        /// <summary>The mean over seeds at each p of the sweep.</summary>
        public double[] MeanPerP(Dictionary<(long, int, bool), ModelMetrics> d, bool perfect, Func<ModelMetrics, double> f) =>
            Ps.Select(p => Seeds.Average(s => f(d[(s, p, perfect)]))).ToArray();

        /// <summary>The mean over seeds and over the sweep.</summary>
        public double MeanOverAll(Dictionary<(long, int, bool), ModelMetrics> d, bool perfect, Func<ModelMetrics, double> f) =>
            Seeds.Average(s => Ps.Average(p => f(d[(s, p, perfect)])));
    }

    // SeedResult lists imperfect then perfect augmentation, each over the sweep; the table has one GD and one
    // min-norm row per entry, in that order.
    private static (Runs Runs, DataTable Table) Collect(TheoryRunOptions options, int[] ps, IReadOnlyList<SeedResult> perSeed)
    {
        var seeds = options.SeedList;
        var runs = new Runs(seeds, ps, [], []);
        var table = new DataTable("fs_augmentation", "seed", "p", "augmentation", "solver", "class_share", "class_weight", "diverse_weight", "noise_weight", "test_class_acc", "train_class_acc", "training_loss");
        for (int i = 0; i < seeds.Count; i++)
        {
            int k = 0;
            foreach (var perfect in Augmentations)
            {
                string aug = perfect ? "perfect" : "imperfect";
                foreach (var p in ps)
                {
                    var (seed, m, ms) = (seeds[i], perSeed[i].Gd[k], perSeed[i].MinNorm[k]);
                    k++;
                    runs.Gd[(seed, p, perfect)] = m;
                    table.Add(seed, p, aug, Setup(options, p).Family == LossFamily.InfoNce ? "InfoNCE GD" : "spectral GD", m.ClassShare, m.ClassWeight, m.DiverseWeight, m.NoiseWeight, m.TestClassAccuracy, m.TrainClassAccuracy, m.TrainingLoss);
                    runs.MinNorm[(seed, p, perfect)] = ms;
                    table.Add(seed, p, aug, "spectral min-norm", ms.ClassShare, ms.ClassWeight, ms.DiverseWeight, ms.NoiseWeight, ms.TestClassAccuracy, ms.TrainClassAccuracy, double.NaN);
                }
            }
        }
        return (runs, table);
    }

    private static PlotSpec AccuracyPlot(Runs runs)
    {
        double[] px = runs.Ps.Select(p => (double)p).ToArray();
        return new PlotSpec(AccuracyPlotFile, "FS-2: class accuracy and share vs p, imperfect vs perfect augmentation", "embedding size p", "test class acc / class share",
        [
            new("class acc, imperfect aug", px, runs.MeanPerP(runs.Gd, false, m => m.TestClassAccuracy)),
            new("class acc, perfect aug", px, runs.MeanPerP(runs.Gd, true, m => m.TestClassAccuracy)),
            new("class share, imperfect aug", px, runs.MeanPerP(runs.Gd, false, m => m.ClassShare)),
            new("class share, perfect aug", px, runs.MeanPerP(runs.Gd, true, m => m.ClassShare)),
            new("class acc, spectral min-norm, imperfect", px, runs.MeanPerP(runs.MinNorm, false, m => m.TestClassAccuracy)),
        ], LogX: true, ReferenceLines: [new ReferenceLine("chance", 0.5), ImperfectAugmentationSuppresses.Line(PerfectAccuracy)], YMin: 0, YMax: 1.02);
    }

    // GD's values at every p first, then the min-norm solution's.
    private static List<KeyValuePair<string, Stat>> ValueRows(Runs runs)
    {
        var (seeds, gd, spec) = (runs.Seeds, runs.Gd, runs.MinNorm);
        var values = new List<KeyValuePair<string, Stat>>();
        foreach (var p in runs.Ps)
        {
            values.Add(ValueRow($"p{p}_class_share_imperfect", seeds.Select(s => gd[(s, p, false)].ClassShare)));
            values.Add(ValueRow($"p{p}_class_share_perfect", seeds.Select(s => gd[(s, p, true)].ClassShare)));
            values.Add(ValueRow($"p{p}_share_ratio", seeds.Select(s => gd[(s, p, false)].ClassShare / gd[(s, p, true)].ClassShare)));
            values.Add(ValueRow($"p{p}_test_class_acc_imperfect", seeds.Select(s => gd[(s, p, false)].TestClassAccuracy)));
            values.Add(ValueRow($"p{p}_test_class_acc_perfect", seeds.Select(s => gd[(s, p, true)].TestClassAccuracy)));
        }
        foreach (var p in runs.Ps)
        {
            values.Add(ValueRow($"p{p}_spectral_min_norm_test_class_acc_imperfect", seeds.Select(s => spec[(s, p, false)].TestClassAccuracy)));
            values.Add(ValueRow($"p{p}_spectral_min_norm_test_class_acc_perfect", seeds.Select(s => spec[(s, p, true)].TestClassAccuracy)));
            values.Add(ValueRow($"p{p}_spectral_min_norm_class_share_imperfect", seeds.Select(s => spec[(s, p, false)].ClassShare)));
            values.Add(ValueRow($"p{p}_spectral_min_norm_class_share_perfect", seeds.Select(s => spec[(s, p, true)].ClassShare)));
        }
        return values;
    }

    private static string Notes(Runs runs)
    {
        var (seeds, ps, gd) = (runs.Seeds, runs.Ps, runs.Gd);
        var failing = ps.Where(p => !seeds.All(s => gd[(s, p, false)].ClassShare <= ImperfectAugmentationSuppresses[ShareRatio] * gd[(s, p, true)].ClassShare)).ToArray();
        var accLower = ps.Where(p => !seeds.All(s => gd[(s, p, false)].TestClassAccuracy < gd[(s, p, true)].TestClassAccuracy)).ToArray();
        string perP = string.Join("; ", ps.Select(p =>
            $"p = {p}: share {Describe(seeds.Average(s => gd[(s, p, false)].ClassShare))} vs {Describe(seeds.Average(s => gd[(s, p, true)].ClassShare))}, class acc {Describe(seeds.Average(s => gd[(s, p, false)].TestClassAccuracy))} vs {Describe(seeds.Average(s => gd[(s, p, true)].TestClassAccuracy))}"));
        return $"Imperfect vs perfect augmentation (mean over seeds): {perP}. " +
               (failing.Length == 0 ? "The share criterion holds at every p. " : $"The share criterion fails at p = {string.Join(", ", failing)}. ") +
               (accLower.Length == 0 ? "" : $"Class accuracy is not lower on every seed at p = {string.Join(", ", accLower)}. ") +
               $"Spectral min-norm on one fixed draw of the views (same data): class accuracy {Describe(runs.MeanOverAll(runs.MinNorm, false, m => m.TestClassAccuracy))} imperfect vs {Describe(runs.MeanOverAll(runs.MinNorm, true, m => m.TestClassAccuracy))} perfect, " +
               $"class share {Describe(runs.MeanOverAll(runs.MinNorm, false, m => m.ClassShare))} vs {Describe(runs.MeanOverAll(runs.MinNorm, true, m => m.ClassShare))} (averaged over p). " +
               "The min-norm weight vector is a combination of training inputs and so carries their diverse vectors (‖Σ y_i div_i‖ ≈ gamma·sqrt(n) against n·a for the class), which act as noise on test data " +
               "when gamma·sqrt(n) is not small against n·a: under both augmentations the spectral closed form on one fixed draw of views is then noise-limited, so it does not isolate the augmentation effect; the InfoNCE runs on fresh views decide the claim.";
    }
}
