using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// <see cref="TrainingHealth"/> at its stated thresholds (strict inequalities, as documented) and on real models:
/// a model whose weights are all zero has collapsed at both layers, a freshly initialised one has not, and the check
/// leaves the model in the mode it found it in.
/// </summary>
[Collection("torch")]
public class TrainingHealthTests
{
    [Fact]
    public void ThresholdsAreStrictAndANonFiniteStdIsOnlyNonFinite()
    {
        double u = Math.Log(15), tol = TrainingHealth.LossTolerance;
        double hEdge = TrainingHealth.CollapsedStdFraction / Math.Sqrt(256), zEdge = TrainingHealth.CollapsedStdFraction / Math.Sqrt(128);
        Assert.Equal(["loss-at-uniform"], TrainingHealth.Problems(u + 0.999 * tol, u, 0.06, 256, 0.08, 128));
        Assert.Equal(["loss-at-uniform"], TrainingHealth.Problems(u - 0.999 * tol, u, 0.06, 256, 0.08, 128));
        Assert.Empty(TrainingHealth.Problems(u + 1.001 * tol, u, 0.06, 256, 0.08, 128));
        Assert.Empty(TrainingHealth.Problems(u - 1.001 * tol, u, 0.06, 256, 0.08, 128));
        Assert.Empty(TrainingHealth.Problems(u - 1, u, hEdge, 256, zEdge, 128));   // exactly at the collapse edge: not collapsed
        Assert.Equal(["representation-collapsed", "projection-collapsed"], TrainingHealth.Problems(u - 1, u, 0.999 * hEdge, 256, 0.999 * zEdge, 128));
        Assert.Equal(["non-finite"], TrainingHealth.Problems(u - 1, u, double.NaN, 256, 0.08, 128));
        Assert.Equal(["non-finite"], TrainingHealth.Problems(u - 1, u, 0.06, 256, double.NaN, 128));
        Assert.Equal(["non-finite"], TrainingHealth.Problems(double.PositiveInfinity, u, 0.06, 256, 0.08, 128));
    }

    [Fact]
    public void EachProblemHasItsOwnSentenceAndTheAdviceEndsTheLine()
    {
        var line = TrainingHealth.Describe(["loss-at-uniform", "representation-collapsed", "projection-collapsed", "non-finite", "other"], 2.7081, 2.70805, 8);
        Assert.StartsWith("the encoder is not learning: the mean loss 2.7081 is within 0.002 of 2.7081 = ln(2B - 1) (B = 8)", line);
        Assert.Contains("; the encoder output has collapsed", line);
        Assert.Contains("; the projection has collapsed", line);
        Assert.Contains("; the loss or the embeddings are not finite", line);
        Assert.Contains("; other.", line);
        Assert.EndsWith("Try a lower --lr or more --warmup-epochs.", line);
    }

    private static (ContrastiveModel Model, ModelInput Input, ImageDataset Train) Setup(int images)
    {
        var train = TinyLabelledImages.Make("train", images, seed: 3);
        manual_seed(2);
        var model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = 3, Head = ProjectionHeadKind.Mlp, ProjectionSize = 16 }, CPU);
        return (model, new ModelInput(train, CPU), train);
    }

    [Fact]
    public void AZeroWeightModelHasCollapsedAtBothLayersAndIsReportedOnce()
    {
        var (model, input, train) = Setup(20);
        using var _m = model; using var _i = input; using var _t = train;
        using (no_grad()) foreach (var p in model.parameters()) p.zero_();
        var cfg = new TrainConfig { BatchSize = 8, Loss = ContrastiveLossKind.Scl, Temperature = 0.3 };
        var log = new StringWriter();
        model.train();
        var m = TrainingHealth.Check(new EpochMetrics { Epoch = 3, Loss = 1.0 }, cfg, model, input, train, CPU, log);
        Assert.Equal("representation-collapsed;projection-collapsed", m.Health);
        Assert.Equal(Math.Log(15), m.UniformLoss, 9);
        Assert.StartsWith("warning: epoch 3: the encoder is not learning: the encoder output has collapsed", log.ToString());
        Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(model.training);   // left as found
    }

    [Fact]
    public void AFreshModelIsHealthyAndALossAtUniformIsFlaggedAnyway()
    {
        var (model, input, train) = Setup(TrainingHealth.SampleSize + 4);
        using var _m = model; using var _i = input; using var _t = train;
        var cfg = new TrainConfig { BatchSize = 8 };
        var log = new StringWriter();
        model.eval();
        var m = TrainingHealth.Check(new EpochMetrics { Epoch = 1, Loss = 1.0 }, cfg, model, input, train, CPU, log);
        Assert.Equal(TrainingHealth.Ok, m.Health);
        Assert.Equal("", log.ToString());
        Assert.False(model.training);   // left as found

        // The sample's spread (the first SampleSize images, unaugmented) is above the collapse threshold.
        using var scope = NewDisposeScope();
        using var _g = no_grad();
        var (h, z) = model.forward(input.Prepare(ImageTensors.ToFloat(train.Images.narrow(0, 0, TrainingHealth.SampleSize)), null));
        Assert.True(TrainingHealth.NormalisedStd(h) >= TrainingHealth.CollapsedStdFraction / Math.Sqrt(model.RepresentationSize));
        Assert.True(TrainingHealth.NormalisedStd(z) >= TrainingHealth.CollapsedStdFraction / Math.Sqrt(model.ProjectionSize));
        // A loss at ln(2B - 1) is flagged even for a healthy model.
        var flat = TrainingHealth.Check(new EpochMetrics { Epoch = 2, Loss = Math.Log(15) }, cfg, model, input, train, CPU, log);
        Assert.Equal("loss-at-uniform", flat.Health);
    }
}
