using System.Diagnostics;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Reporting;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Runs one training configuration through the shared engine (<see cref="ContrastiveTrainer"/>) and probes the
/// frozen encoder afterwards; the experiments only choose configurations and read the summaries.
/// </summary>
public static class RealRunner
{
    /// <summary>The probed layer, for reports.</summary>
    public const string ProbedLayer = "encoder output (before the projection head)";

    /// <summary>
    /// A training config for the suite: the schedule's shared encoder and optimiser, the experiment's
    /// <paramref name="preset"/>, the options' dataset, superclass map and validation switch, and what the experiment
    /// varies (loss, beta, embedding size, augmentation, k). Scored on the preset's test subset (all of round 3's when
    /// the preset's test size is at least its size), or on the validation carve with <c>--validation</c>. With <paramref name="curve"/> the run is evaluated and
    /// offline-probed after every epoch; otherwise the evaluation split is touched once, at the end (with
    /// <paramref name="probeBothLayers"/>, by offline probes at the encoder and projection outputs too).
    /// </summary>
    public static TrainConfig Config(RealRunOptions o, RealSchedule s, RunPreset preset, int seed, ContrastiveLossKind loss,
        double beta = 0.5, int? embedding = null, AugmentPreset? augment = null, int? randBits = null, bool curve = false, bool probeBothLayers = false)
    {
        string dataset = o.DatasetFor(preset);
        // A dataset with its own subclasses (marked pairs, CIFAR-100) takes no superclass option.
        bool hierarchy = preset.Superclasses && !DatasetRegistry.HasOwnSubclasses(dataset);
        // A validation run never reads the test split; datasets without a round-3 subset keep their whole test split.
        var subset = o.Validation || !Round3TestSubset.Covers(dataset) ? TestSubsetKind.All : preset.TestSubset;
        int testSize = Round3TestSubset.ScoresAll(subset, dataset, preset.TestSize) ? 0 : preset.TestSize;
        return new TrainConfig
        {
            Dataset = dataset, DataDir = o.DataDir,
            Superclasses = hierarchy && o.SuperclassMap is null, SuperclassMap = hierarchy ? o.SuperclassMap : null,
            RandBits = randBits ?? preset.RandBits, Loss = loss, Beta = beta, Temperature = preset.Temperature,
            Model = preset.Model ?? s.Model, Head = ProjectionHeadKind.Mlp, ProjectionDim = embedding ?? preset.ProjectionDim, Epochs = preset.Epochs,
            BatchSize = preset.BatchSize, Optimizer = preset.Optimizer ?? s.Optimizer, LearningRate = preset.LearningRate ?? s.LearningRate,
            Momentum = s.Momentum, WeightDecay = s.WeightDecay, WarmupEpochs = Math.Min(preset.WarmupEpochs ?? s.WarmupEpochs, preset.Epochs), Augment = augment ?? preset.Augment,
            TrainSize = preset.TrainSize, TestSize = testSize, TestSubset = subset, ValidationSize = o.Validation ? preset.ValidationSize : 0,
            Seed = seed, Threads = o.Threads, Device = o.Device,
            EvalEvery = curve ? 1 : preset.Epochs, OfflineProbeEvery = curve ? 1 : probeBothLayers ? preset.Epochs : 0,
        }.Validate();
    }

    /// <summary>The seeds of an experiment whose preset is <paramref name="preset"/>: BaseSeed, BaseSeed + 1, ..., <see cref="SeedCount"/> of them.</summary>
    public static IEnumerable<int> SeedList(RealRunOptions o, RunPreset preset) => Enumerable.Range(0, SeedCount(o, preset)).Select(i => o.BaseSeed + i);

    /// <summary>How many seeds an experiment whose preset is <paramref name="preset"/> runs: the suite's <c>--seeds</c> plus the preset's <see cref="RunPreset.ExtraSeeds"/>.</summary>
    public static int SeedCount(RealRunOptions o, RunPreset preset) => o.Seeds + preset.ExtraSeeds;

    /// <summary>
    /// Trains <paramref name="spec"/> in <paramref name="runDir"/> (config, checkpoints, metrics.csv), resuming from
    /// its last checkpoint when <paramref name="resume"/> is set (the trainer's notes, e.g. where it resumed, go to
    /// <paramref name="log"/>; <paramref name="faults"/> is the tests' fault hook), then runs the probe suite (logistic regression, L-BFGS on
    /// standardised frozen features of the training split, scored on the test split, last epoch) for each probed label.
    /// </summary>
    public static RealRunSummary Train(RealRunSpec spec, string runDir, bool resume, IRunProgress progress, CancellationToken ct, TextWriter? log = null, IFaultHook? faults = null)
    {
        var clock = Stopwatch.StartNew();
        var cfg = spec.Config;
        Directory.CreateDirectory(runDir);
        var (train, test) = TrainData.Load(cfg);
        using (train)
        using (test)
        {
            var outcome = new ContrastiveTrainer(cfg, train, test, runDir, new PrefixedProgress(progress, $"{spec.Experiment} {spec.Tag} seed {cfg.Seed}"), log, faults).Run(resume, ct);
            try
            {
                using var scope = NewDisposeScope();
                var suite = new ProbeSuite(new LogisticRegressionProbe { Iterations = spec.ProbeIterations }, withKnn: false);
                var trainF = FeatureExtractor.Extract(outcome.Model, outcome.Input, train, outcome.Device);
                var testF = FeatureExtractor.Extract(outcome.Model, outcome.Input, test, outcome.Device);
                var result = suite.Run(trainF, testF, spec.ProbeLabels);
                var probeTest = result.Probes.ToDictionary(p => p.Label, p => p.TestAccuracy);
                var probeTrain = result.Probes.ToDictionary(p => p.Label, p => p.TrainAccuracy);
                // Baselines for the report: chance, majority and the same architecture at random initialisation.
                var verdicts = RunBaselines.Compute(cfg, train, test, trainF, testF, result.Probes, suite.Probe, outcome.Device);
                var baselines = RunBaselines.WithChanceAndMajority(result.Probes, train, test).ToDictionary(b => b.Label,
                    b => b with { RandomInit = verdicts.RandomInitProbes.FirstOrDefault(r => r.Label == b.Label)?.TestAccuracy });
                double ips = outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond);
                return new RealRunSummary(spec.Tag, cfg.Seed, cfg, outcome.History, probeTest, probeTrain, clock.Elapsed.TotalSeconds, ips)
                {
                    Baselines = baselines, SubclassCollapse = verdicts.Collapse,
                };
            }
            finally
            {
                outcome.Model.Dispose();
                outcome.Probes.Dispose();
                outcome.Input.Dispose();
                GC.Collect();
            }
        }
    }

    /// <summary>
    /// One row per run and probed label: the probe's test accuracy beside its baselines (random init, chance,
    /// majority) and, with a class/subclass hierarchy, the within-class subclass probe against random init and the
    /// collapse verdict (Verdicts/CollapseVerdict: the gap's 95 % interval below −<see cref="Verdicts.VerdictThresholds.Margin"/>).
    /// </summary>
    public static DataTable BaselineTable(string name, IEnumerable<RealRunSummary> runs)
    {
        var t = new DataTable(name, "run", "seed", "label", "probe_test", "random_init", "chance", "majority",
            "within_class_subclass", "within_class_subclass_random_init", "subclass_collapse");
        foreach (var r in runs)
            foreach (var (label, b) in r.Baselines.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                t.Add(r.Tag, r.Seed, label, b.TestAccuracy, b.RandomInit ?? double.NaN, b.Chance ?? double.NaN, b.Majority ?? double.NaN,
                    r.SubclassCollapse?.Value.Value ?? double.NaN, r.SubclassCollapse?.ReferenceValue.Value ?? double.NaN,
                    r.SubclassCollapse?.Text ?? "n/a");
        return t;
    }

    /// <summary>
    /// Trains <paramref name="spec"/> from scratch in OutDir/runs/experiment/tag-seedN when <see cref="RealRunOptions.OutDir"/>
    /// is set, otherwise in a temporary folder that is deleted afterwards.
    /// </summary>
    public static RealRunSummary Train(RealRunSpec spec, RealRunOptions o, IRunProgress progress, CancellationToken ct)
    {
        string runDir = o.OutDir is { } outDir
            ? Path.Combine(outDir, "runs", spec.Experiment, spec.FolderName)
            : Path.Combine(Path.GetTempPath(), $"whichfeatures-real-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try { return Train(spec, runDir, resume: false, progress, ct); }
        finally { if (o.OutDir is null) TryDelete(runDir); }
    }

    /// <summary>The runs of one configuration (<paramref name="tag"/>), in seed order.</summary>
    public static List<RealRunSummary> WithTag(IEnumerable<RealRunSummary> runs, string tag) =>
        runs.Where(r => r.Tag == tag).OrderBy(r => r.Seed).ToList();

    /// <summary>Mean and spread over seeds of one number per run.</summary>
    public static Stat Over(IEnumerable<RealRunSummary> runs, Func<RealRunSummary, double> value) => Stat.Of(runs.Select(value));

    /// <summary>"0.8673" style, invariant culture.</summary>
    public static string Fixed4(double x) => x.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"mean ± std (per seed a, b)" for notes.</summary>
    public static string Describe(Stat s) =>
        $"{Fixed4(s.Mean)} ± {Fixed4(s.Std)} (seeds: {string.Join(", ", s.PerSeed.Select(Fixed4))})";

    /// <summary>Wall time and throughput of a set of runs, for notes.</summary>
    public static string Cost(IReadOnlyCollection<RealRunSummary> runs) =>
        $"{runs.Count} training runs, {runs.Sum(r => r.WallSeconds):0} s wall in total, mean {runs.Average(r => r.TrainImagesPerSecond):0} training images/s";

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
