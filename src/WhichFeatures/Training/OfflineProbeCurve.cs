using WhichFeatures.Evaluation;

namespace WhichFeatures.Training;

/// <summary>
/// The offline probe curve: at chosen epochs (<see cref="TrainConfig.OfflineProbeEvery"/>) a FRESH
/// <see cref="ProbeSuite"/> linear probe per label is fitted on that epoch's frozen training-split features and scored
/// on the evaluation split, at two layers: the encoder output (<see cref="EncoderLayer"/>, what the final probes
/// read) and the projection head's output (<see cref="ProjectionLayer"/>, what the loss reads; the same tensor for head
/// none). Unlike the online probe, which keeps learning across epochs and so smooths over an early peak, each point
/// measures only what that epoch's features hold. It reads the model in eval mode without gradients and draws no
/// random numbers, so the trained weights do not depend on it.
/// </summary>
/// <remarks>
/// Metric: for layer L and label y, the test accuracy of multinomial logistic regression (the default
/// <see cref="LogisticRegressionProbe"/>, the final evaluation's settings) fitted on (features of L, y) of the
/// training split, i.e. the fraction of evaluation-split rows whose predicted y is correct.
/// </remarks>
public static class OfflineProbeCurve
{
    /// <summary>Layer name of the encoder output (representation).</summary>
    public const string EncoderLayer = "encoder";
    /// <summary>Layer name of the projection head's output.</summary>
    public const string ProjectionLayer = "projection";

    /// <summary>The probed layers, in report order.</summary>
    public static IReadOnlyList<string> Layers { get; } = [EncoderLayer, ProjectionLayer];

    /// <summary>The key of (layer, label) in <see cref="EpochMetrics.OfflineTestAccuracy"/>: "layer/label".</summary>
    public static string Key(string layer, string label) => $"{layer}/{label}";

    /// <summary>Whether the run probes offline at the end of <paramref name="epoch"/>: every N-th epoch and the last, when N > 0.</summary>
    public static bool IsDue(TrainConfig cfg, int epoch) =>
        cfg.OfflineProbeEvery > 0 && (epoch % cfg.OfflineProbeEvery == 0 || epoch == cfg.Epochs);

    /// <summary>
    /// Fits a fresh probe per label shared by both splits at each layer and returns the evaluation-split accuracies
    /// keyed by <see cref="Key"/>.
    /// </summary>
    /// <param name="train">Training-split features: (encoder output [N, p], projection [N, q]).</param>
    /// <param name="test">Evaluation-split features: (encoder output [M, p], projection [M, q]).</param>
    public static Dictionary<string, double> Measure((FeatureSet Encoder, FeatureSet Projection) train, (FeatureSet Encoder, FeatureSet Projection) test)
    {
        var suite = new ProbeSuite(withKnn: false);
        var result = new Dictionary<string, double>();
        foreach (var (layer, tr, te) in new[] { (EncoderLayer, train.Encoder, test.Encoder), (ProjectionLayer, train.Projection, test.Projection) })
            foreach (var score in suite.Run(tr, te).Probes)
                result[Key(layer, score.Label)] = score.TestAccuracy;
        return result;
    }
}
