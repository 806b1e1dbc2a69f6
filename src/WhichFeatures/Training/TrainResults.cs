using WhichFeatures.Evaluation;

using WhichFeatures.Verdicts;

namespace WhichFeatures.Training;

/// <summary>The final results of a training run (its results.json).</summary>
/// <param name="Config">The run's configuration.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="Layer">The probed layer, in words.</param>
/// <param name="ProbeProtocol">The offline probe's protocol sentence.</param>
/// <param name="KnnProtocol">The kNN protocol sentence.</param>
/// <param name="Probes">Offline probe scores per label at the last epoch.</param>
/// <param name="KnnClassAccuracy">kNN test accuracy on the class label (NaN without one).</param>
/// <param name="OnlineFinal">Online probe test accuracies at the last epoch.</param>
/// <param name="WallSeconds">Wall time of the whole run.</param>
/// <param name="MeanImagesPerSecond">Mean training throughput over the epochs.</param>
/// <param name="PeakRssMegabytes">Peak resident memory of the process.</param>
/// <param name="History">Per-epoch metrics.</param>
public sealed record TrainResults(
    TrainConfig Config, int Epochs, string Layer, string ProbeProtocol, string KnnProtocol,
    IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy, IReadOnlyDictionary<string, double> OnlineFinal,
    double WallSeconds, double MeanImagesPerSecond, double PeakRssMegabytes, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>The subclass-collapse verdict against random init (null without a class/subclass hierarchy).</summary>
    public CollapseVerdict? SubclassCollapse { get; init; }
    /// <summary>The suppression verdict of each probed dataset label against random init.</summary>
    public IReadOnlyList<SuppressionVerdict>? Suppression { get; init; }
    /// <summary>Whether the class probe beats random initialisation (null without a class label).</summary>
    public LearntVerdict? Learnt { get; init; }
    /// <summary>The problems of the last epoch found by <see cref="TrainingHealth"/> ("ok" when none).</summary>
    public string FinalHealth { get; init; } = TrainingHealth.Ok;
    /// <summary>Every later <c>probe --labels</c> of this run (one probe-&lt;stem&gt;.json each), so user attributes appear here too.</summary>
    public IReadOnlyList<RunProber.ProbeResults>? LaterProbes { get; init; }
    /// <summary>How the CPU convolutions ran and what the check against float64 measured (<c>Models/ConvolutionPathCheck</c>); null off the CPU.</summary>
    public string? Convolutions { get; init; }
    /// <summary>The t-SNE map of the test split's representations (tsne.csv, tsne_*.png); null for runs written before maps existed.</summary>
    public Maps.MapSummary? Map { get; init; }
}
