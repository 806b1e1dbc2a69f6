using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Models;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// <see cref="FeatureExtractor"/> against one forward pass of the whole split in eval mode: batching (with a last
/// partial batch) changes nothing, the projection is the head's output of the same pass, the labels and class counts
/// travel with the features, and the model is left in the mode it was found in.
/// </summary>
[Collection("torch")]
public class FeatureExtractorTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchedExtractionEqualsOneEvalPassAndLeavesTheModeAsFound(bool training)
    {
        using var data = TinyLabelledImages.Make("split", 11, seed: 5);
        manual_seed(3);
        using var model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = 3, Head = ProjectionHeadKind.Mlp, ProjectionSize = 6 }, CPU);
        using var input = new ModelInput(data, CPU);
        if (training) model.train(); else model.eval();

        using var scope = NewDisposeScope();
        var batched = FeatureExtractor.Representations(model, input, data, CPU, batchSize: 4);    // batches 4, 4, 3
        Assert.Equal(training, model.training);
        var (rep, proj) = FeatureExtractor.ExtractWithProjection(model, input, data, CPU);
        Assert.Equal(training, model.training);
        var plain = FeatureExtractor.Extract(model, input, data, CPU);
        Assert.Equal(training, model.training);

        model.eval();
        Tensor h, z;
        using (no_grad()) (h, z) = model.forward(input.Prepare(ImageTensors.ToFloat(data.Images), null));   // [11, p], [11, 6]
        Assert.Equal(ScalarType.Float32, batched.dtype);
        Assert.Equal(new long[] { 11, model.RepresentationSize }, batched.shape);
        Assert.True(batched.allclose(h, rtol: 1e-5, atol: 1e-6), "batched representations differ from one pass");
        Assert.True(rep.Features.allclose(h, rtol: 1e-5, atol: 1e-6));
        Assert.True(proj.Features.allclose(z, rtol: 1e-5, atol: 1e-6), "the projection is not the head's output");
        Assert.True(plain.Features.allclose(h, rtol: 1e-5, atol: 1e-6));
        Assert.False(batched.requires_grad);
        foreach (var set in new[] { rep, proj, plain })
        {
            Assert.Equal("split", set.Name);
            Assert.Same(data.Labels[LabelKeys.Class], set.Labels[LabelKeys.Class]);
            Assert.Equal(4, set.Classes(LabelKeys.Class));
            Assert.Equal(8, set.Classes(LabelKeys.Subclass));
        }
    }
}
