using System.Globalization;
using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// Is the encoder still learning? Checked once per epoch, after its training steps. Three signs of a dead or
/// collapsed representation, each with its threshold fixed here:
/// <list type="bullet">
/// <item><c>loss-at-uniform</c>: the epoch's mean loss is within <see cref="LossTolerance"/> nats of
/// <see cref="UniformSimilarityLoss"/>, the loss when every pair of views has the same similarity. For this
/// repository's InfoNCE (Losses/InfoNceLoss: mean over anchors of -log p(positive), 2B views, self excluded) every
/// log-probability is then -ln(2B - 1), so UCL, SCL and the joint loss all equal ln(2B - 1); it is computed from the
/// loss itself (all embeddings equal), so a change of the loss changes the reference too.</item>
/// <item><c>representation-collapsed</c> / <c>projection-collapsed</c>: on a fixed sample of training images (no
/// augmentation), the mean over dimensions of the per-dimension standard deviation of the L2-normalised encoder
/// output (resp. projection) is below <see cref="CollapsedStdFraction"/> / sqrt(d). A healthy embedding spread over
/// the sphere has about 1 / sqrt(d) (SimSiam's collapse measure); a collapsed one has 0.</item>
/// <item><c>non-finite</c>: the loss or the sample's embeddings contain NaN or infinity.</item>
/// </list>
/// </summary>
public static class TrainingHealth
{
    /// <summary>The health value of an epoch without problems.</summary>
    public const string Ok = "ok";
    /// <summary>An epoch's mean loss closer than this (nats) to the uniform-similarity loss counts as "not learning".</summary>
    public const double LossTolerance = 0.002;
    /// <summary>Collapse threshold on the mean per-dimension std of normalised embeddings, as a fraction of 1 / sqrt(d).</summary>
    public const double CollapsedStdFraction = 0.01;
    /// <summary>Training images (the first ones of the split, unaugmented) used for the embedding check.</summary>
    public const int SampleSize = 256;

    /// <summary>
    /// The loss of <paramref name="kind"/> on a batch of <paramref name="batchSize"/> examples (2B views) when all
    /// embeddings are equal, so all similarities are: evaluated with the loss itself. Equals ln(2B - 1).
    /// </summary>
    public static double UniformSimilarityLoss(ContrastiveLossKind kind, int batchSize, double beta, double temperature)
    {
        using var scope = NewDisposeScope();
        var z = ones(batchSize, 4, dtype: ScalarType.Float64);                                 // [B, 4]
        var labels = arange(batchSize, dtype: ScalarType.Int64).remainder(2);                   // [B]
        return InfoNceLoss.Compute(kind, z, z.clone(), labels, beta, temperature).ToDouble();
    }

    /// <summary>
    /// Mean over dimensions of the per-dimension std of the row-normalised <paramref name="embeddings"/> [N, d];
    /// about 1 / sqrt(d) when spread out, 0 when collapsed to one direction. NaN when any value is not finite.
    /// </summary>
    public static double NormalisedStd(Tensor embeddings)
    {
        using var scope = NewDisposeScope();
        var e = embeddings.to_type(ScalarType.Float64);                                        // [N, d]
        if (!e.isfinite().all().ToBoolean()) return double.NaN;
        var n = nn.functional.normalize(e, p: 2, dim: 1);                                       // [N, d]
        return n.std(0).mean().ToDouble();
    }

    /// <summary>The problems of one epoch (empty when healthy).</summary>
    /// <param name="meanLoss">The epoch's mean training loss.</param>
    /// <param name="uniformLoss">From <see cref="UniformSimilarityLoss"/>.</param>
    /// <param name="representationStd">From <see cref="NormalisedStd"/> on the encoder output.</param>
    /// <param name="representationDim">Its dimension d.</param>
    /// <param name="projectionStd">From <see cref="NormalisedStd"/> on the projection.</param>
    /// <param name="projectionDim">Its dimension.</param>
    public static IReadOnlyList<string> Problems(double meanLoss, double uniformLoss, double representationStd, long representationDim, double projectionStd, long projectionDim)
    {
        var problems = new List<string>();
        if (!double.IsFinite(meanLoss) || double.IsNaN(representationStd) || double.IsNaN(projectionStd)) problems.Add("non-finite");
        if (double.IsFinite(meanLoss) && Math.Abs(meanLoss - uniformLoss) < LossTolerance) problems.Add("loss-at-uniform");
        if (representationStd < CollapsedStdFraction / Math.Sqrt(representationDim)) problems.Add("representation-collapsed");
        if (projectionStd < CollapsedStdFraction / Math.Sqrt(projectionDim)) problems.Add("projection-collapsed");
        return problems;
    }

    /// <summary>
    /// Checks one finished epoch: returns <paramref name="m"/> with <see cref="EpochMetrics.Health"/> set and writes
    /// a warning to <paramref name="log"/> when something is wrong.
    /// </summary>
    public static EpochMetrics Check(EpochMetrics m, TrainConfig cfg, ContrastiveModel model, ModelInput input, ImageDataset train, Device device, TextWriter log)
    {
        double uniform = UniformSimilarityLoss(cfg.Loss, cfg.BatchSize, cfg.Beta, cfg.Temperature);
        double hStd, zStd;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            long n = Math.Min(SampleSize, train.Count);
            var x = ImageTensors.ToFloat(train.Images.narrow(0, 0, n).to(device));              // [n, C, H, W]
            var (h, z) = model.forward(input.Prepare(x, train.ExtraChannels?.narrow(0, 0, n)));  // [n, p], [n, q]
            hStd = NormalisedStd(h);
            zStd = NormalisedStd(z);
        }
        finally
        {
            if (wasTraining) model.train();
        }
        var problems = Problems(m.Loss, uniform, hStd, model.RepresentationSize, zStd, model.ProjectionSize);
        if (problems.Count > 0)
            log.WriteLine($"warning: epoch {m.Epoch}: {Describe(problems, m.Loss, uniform, cfg.BatchSize)}");
        return m with { Health = problems.Count == 0 ? Ok : string.Join(";", problems), UniformLoss = uniform };
    }

    /// <summary>One human sentence for the problems of an epoch.</summary>
    public static string Describe(IReadOnlyList<string> problems, double meanLoss, double uniformLoss, int batchSize)
    {
        var parts = new List<string>();
        foreach (var p in problems)
            parts.Add(p switch
            {
                "loss-at-uniform" => string.Create(CultureInfo.InvariantCulture,
                    $"the mean loss {meanLoss:0.0000} is within {LossTolerance} of {uniformLoss:0.0000} = ln(2B - 1) (B = {batchSize}), the loss when all similarities are equal"),
                "representation-collapsed" => "the encoder output has collapsed (per-dimension std of normalised embeddings near zero)",
                "projection-collapsed" => "the projection has collapsed (per-dimension std of normalised projections near zero)",
                "non-finite" => "the loss or the embeddings are not finite (NaN or infinity)",
                _ => p,
            });
        return "the encoder is not learning: " + string.Join("; ", parts) + ". Try a lower --lr or more --warmup-epochs.";
    }
}
