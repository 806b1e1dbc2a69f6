using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
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

    /// <summary>A training config for the suite: the schedule's sizes with the given dataset, loss and options.</summary>
    public static TrainConfig Config(RealRunOptions o, RealSchedule s, int seed, string dataset, ContrastiveLossKind loss,
        double beta = 0.5, bool superclasses = false, int randBits = 0, int? embedding = null, string augment = "simclr", int? epochs = null, bool evalEveryEpoch = false)
    {
        int e = epochs ?? s.Epochs;
        return new TrainConfig
        {
            Dataset = dataset, DataDir = o.DataDir, Superclasses = superclasses, RandBits = randBits, Loss = loss, Beta = beta,
            Temperature = s.Temperature, Model = s.Model, Embedding = embedding, Head = "mlp", ProjectionDim = 128, Epochs = e,
            BatchSize = s.BatchSize, Optimizer = "sgd", LearningRate = s.LearningRate, Momentum = 0.9, WeightDecay = 1e-4,
            WarmupEpochs = Math.Min(s.WarmupEpochs, e), Augment = augment, TrainSize = s.TrainSize, TestSize = s.TestSize,
            Seed = seed, Threads = o.Threads, Device = o.Device,
            EvalEvery = evalEveryEpoch ? 1 : e,   // otherwise evaluate at the end only: the test split is touched once
        }.Validate();
    }

    /// <summary>The seeds of a run: BaseSeed, BaseSeed + 1, ...</summary>
    public static IEnumerable<int> SeedList(RealRunOptions o) => Enumerable.Range(0, o.Seeds).Select(i => o.BaseSeed + i);

    /// <summary>
    /// Trains <paramref name="cfg"/>, then fits an offline linear probe (L-BFGS on standardised frozen features of
    /// the training split, scored on the test split, last epoch) for each of <paramref name="probeLabels"/>.
    /// </summary>
    public static RealRunSummary Train(string experiment, string tag, TrainConfig cfg, IReadOnlyList<string> probeLabels,
        RealRunOptions o, RealSchedule s, IRunProgress progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string runDir = o.OutDir is { } outDir
            ? Path.Combine(outDir, "runs", experiment, $"{tag}-seed{cfg.Seed}")
            : Path.Combine(Path.GetTempPath(), $"whichfeatures-real-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(runDir);
        try
        {
            var (train, test) = TrainData.Load(cfg);
            using (train)
            using (test)
            {
                var outcome = new ContrastiveTrainer(cfg, train, test, runDir, new PrefixedProgress(progress, $"{experiment} {tag} seed {cfg.Seed}")).Run(resume: false, ct);
                try
                {
                    using var scope = NewDisposeScope();
                    var suite = new ProbeSuite(new LogisticRegressionProbe { Iterations = s.ProbeIterations }, withKnn: false);
                    var result = suite.Run(FeatureExtractor.Extract(outcome.Model, outcome.Input, train, outcome.Device),
                                           FeatureExtractor.Extract(outcome.Model, outcome.Input, test, outcome.Device), probeLabels);
                    var probeTest = result.Probes.ToDictionary(p => p.Label, p => p.TestAccuracy);
                    var probeTrain = result.Probes.ToDictionary(p => p.Label, p => p.TrainAccuracy);
                    double ips = outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond);
                    return new RealRunSummary(tag, cfg.Seed, cfg, outcome.History, probeTest, probeTrain, clock.Elapsed.TotalSeconds, ips);
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
        finally
        {
            if (o.OutDir is null) TryDelete(runDir);
        }
    }

    /// <summary>Mean and spread over seeds of one number per run.</summary>
    public static Stat Over(IEnumerable<RealRunSummary> runs, Func<RealRunSummary, double> value) => Stat.Of(runs.Select(value));

    /// <summary>"0.8673" style, invariant culture.</summary>
    public static string Fixed4(double x) => x.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"mean ± std (per seed a, b)" for notes.</summary>
    public static string Describe(Stat s) =>
        $"{Fixed4(s.Mean)} ± {Fixed4(s.Std)} (seeds: {string.Join(", ", s.PerSeed.Select(Fixed4))})";

    /// <summary>
    /// Whether the gap between two means is inside the seeds' own spread (smaller than twice the larger per-seed
    /// standard deviation). Claims are decided on the means as their criteria say; this only marks, in the notes, an
    /// ordering too small to be evidence.
    /// </summary>
    public static bool WithinSeedSpread(Stat a, Stat b) => Math.Abs(a.Mean - b.Mean) < 2 * Math.Max(a.Std, b.Std);

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
