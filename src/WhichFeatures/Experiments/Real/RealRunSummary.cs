using WhichFeatures.Training;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// What one training run of the suite measured: the per-epoch history (online probes on the test split), the
/// offline linear-probe accuracies at the last epoch, and its cost.
/// </summary>
/// <param name="Tag">Short name of the configuration, e.g. "ucl-p64-k10".</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Config">The exact training configuration.</param>
/// <param name="History">Per-epoch metrics from the trainer.</param>
/// <param name="ProbeTest">Offline linear probe test accuracy per probed label (last epoch, encoder output).</param>
/// <param name="ProbeTrain">Offline linear probe training accuracy per probed label.</param>
/// <param name="WallSeconds">Wall time of the whole run (data, training, evaluation).</param>
/// <param name="TrainImagesPerSecond">Mean training throughput over the epochs (images, each giving two views).</param>
public sealed record RealRunSummary(
    string Tag, int Seed, TrainConfig Config, IReadOnlyList<EpochMetrics> History,
    IReadOnlyDictionary<string, double> ProbeTest, IReadOnlyDictionary<string, double> ProbeTrain,
    double WallSeconds, double TrainImagesPerSecond)
{
    /// <summary>Per probed label: chance, majority and the random-init probe (Training/RunBaselines).</summary>
    public IReadOnlyDictionary<string, Evaluation.ProbeScore> Baselines { get; init; } = new Dictionary<string, Evaluation.ProbeScore>();
    /// <summary>The subclass-collapse verdict against random init (null without a class/subclass hierarchy).</summary>
    public Verdicts.CollapseVerdict? SubclassCollapse { get; init; }

    /// <summary>Online probe test accuracy of <paramref name="label"/> per epoch (NaN where not evaluated).</summary>
    public double[] OnlineCurve(string label) =>
        History.Select(h => h.OnlineTestAccuracy.TryGetValue(label, out var a) ? a : double.NaN).ToArray();

    /// <summary>
    /// Test accuracy per epoch of the fresh offline probe of <paramref name="label"/> at <paramref name="layer"/>
    /// (<see cref="OfflineProbeCurve.EncoderLayer"/> or <see cref="OfflineProbeCurve.ProjectionLayer"/>), NaN where not
    /// evaluated (see <see cref="TrainConfig.OfflineProbeEvery"/>).
    /// </summary>
    public double[] OfflineCurve(string layer, string label) =>
        History.Select(h => h.OfflineTestAccuracy.TryGetValue(OfflineProbeCurve.Key(layer, label), out var a) ? a : double.NaN).ToArray();

    /// <summary>Online probe test accuracy of <paramref name="label"/> at the last epoch (NaN if absent).</summary>
    public double OnlineFinal(string label) =>
        History.Count > 0 && History[^1].OnlineTestAccuracy.TryGetValue(label, out var a) ? a : double.NaN;
}
