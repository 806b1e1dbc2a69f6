using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Models;

/// <summary>
/// ConvN (Chen et al.'s RandBit encoder): shapes on MNIST- and CIFAR-sized input, the parameter count against the
/// closed form, the default representation size, and its function against the same layers written out by hand.
/// </summary>
[Collection("torch")]
public class ConvNTests
{
    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    [Theory]
    [InlineData(1, 28, 0)]     // MNIST
    [InlineData(1, 28, 5)]     // MNIST-RandBit
    [InlineData(3, 32, 0)]     // CIFAR
    [InlineData(3, 32, 3)]     // CIFAR-RandBit
    public void OutputShapesOnMnistAndCifarSizedInput(int imageChannels, int side, int bits)
    {
        int c = imageChannels + bits;
        using var model = ModelFactory.Create(new ModelConfig { Name = "convn", InChannels = c, Head = ProjectionHeadKind.Mlp });
        using var x = rand(3, c, side, side);
        using var pooled = model.Backbone.call(x);
        Assert.Equal(new long[] { 3, 1024 }, pooled.shape);
        Assert.Equal(1024, model.Backbone.OutputSize);
        var (r, z) = model.call(x);
        using (r) using (z)
        {
            Assert.Equal(new long[] { 3, 128 }, r.shape);
            Assert.Equal(new long[] { 3, 128 }, z.shape);
        }
    }

    [Fact]
    public void TheRepresentationIsADense128LayerUnlessAnEmbeddingIsGiven()
    {
        using var byDefault = ModelFactory.Create(new ModelConfig { Name = "convn", InChannels = 1 });
        Assert.Equal(128, byDefault.RepresentationSize);
        var embedding = byDefault.named_parameters().Single(p => p.name == "embedding.weight").parameter;
        Assert.Equal(new long[] { 128, 1024 }, embedding.shape);

        using var small = ModelFactory.Create(new ModelConfig { Name = "convn", InChannels = 1, EmbeddingSize = 4, Head = ProjectionHeadKind.Mlp, ProjectionSize = 16 });
        Assert.Equal(4, small.RepresentationSize);
        Assert.Equal(16, small.ProjectionSize);
        using var x = rand(2, 1, 28, 28);
        var (r, z) = small.call(x);
        using (r) using (z) { Assert.Equal(new long[] { 2, 4 }, r.shape); Assert.Equal(new long[] { 2, 16 }, z.shape); }

        // The other backbones keep their pooled width as the default (no dense layer added).
        using var convnet = ModelFactory.Create(new ModelConfig { Name = "convnet" });
        Assert.Equal(256, convnet.RepresentationSize);
        Assert.DoesNotContain(convnet.named_parameters(), p => p.name.StartsWith("embedding", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, null, ProjectionHeadKind.Mlp, 128)]
    [InlineData(3, null, ProjectionHeadKind.Mlp, 128)]
    [InlineData(6, 64, ProjectionHeadKind.Linear, 32)]
    [InlineData(2, 4, ProjectionHeadKind.None, 128)]
    public void ParameterCountMatchesTheClosedForm(int c, int? embedding, ProjectionHeadKind head, int q)
    {
        using var model = ModelFactory.Create(new ModelConfig { Name = "convn", InChannels = c, EmbeddingSize = embedding, Head = head, ProjectionSize = q });
        long convs = 9L * (c * 32 + 32 * 64 + 64 * 64);         // 3x3 convs, no bias
        long bns = 2L * (32 + 64 + 64);                          // BN weight + bias
        long p = embedding ?? 128;
        long dense = 1024 * p + p;                               // Linear(1024, p)
        long headCount = head switch
        {
            ProjectionHeadKind.None => 0,
            ProjectionHeadKind.Linear => p * q + q,
            _ => p * p + p + p * q + q,
        };
        Assert.Equal(convs + bns + dense + headCount, Count(model));
        Assert.Equal(convs + bns, Count(new ConvN(c)));
    }

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    public void ForwardEqualsTheLayersWrittenOut(int side)
    {
        // Three conv(3x3, stride 2, pad 1, no bias) - BN (batch statistics) - ReLU, then the 4x4 grid flattened; the
        // weights are the module's own, randomised so BN's affine part is not the identity.
        var net = new ConvN(2);
        net.train();
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        using (no_grad())
            foreach (var (_, p) in net.named_parameters()) p.copy_(randn(p.shape, generator: g));
        var x = randn(new long[] { 4, 2, side, side }, generator: g, dtype: ScalarType.Float64);
        net.to(ScalarType.Float64);
        var named = net.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        var convs = named.Where(kv => kv.Value.dim() == 4).Select(kv => kv.Value).ToArray();
        var bns = named.Where(kv => kv.Value.dim() == 1).Select(kv => kv.Value).ToArray();    // weight, bias per BN, in order
        Assert.Equal(3, convs.Length);
        var y = x;
        for (int i = 0; i < 3; i++)
        {
            y = nn.functional.conv2d(y, convs[i], strides: [2, 2], padding: [1, 1]);            // [B, C_i, ceil(H/2^i), ...]
            var mean = y.mean([0, 2, 3], keepdim: true);
            var variance = y.var([0, 2, 3], unbiased: false, keepdim: true);
            y = (y - mean) / (variance + 1e-5).sqrt() * bns[2 * i].view(1, -1, 1, 1) + bns[2 * i + 1].view(1, -1, 1, 1);
            y = y.clamp_min(0);
        }
        Assert.Equal(new long[] { 4, 64, 4, 4 }, y.shape);                                     // 28 -> 14 -> 7 -> 4, 32 -> 16 -> 8 -> 4
        var expected = y.reshape(4, 1024);                                                      // channel-major, as flatten(1)
        var actual = net.call(x);
        Assert.True(actual.sub(expected).abs().max().ToDouble() < 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void WideConvNHasTwiceTheWidthsInTheClosedForm(int c)
    {
        // convn-wide: convolutions 64/128/128, flattened 128 x 4 x 4 = 2048, then the same dense 128 and MLP head.
        using var model = ModelFactory.Create(new ModelConfig { Name = "convn-wide", InChannels = c, Head = ProjectionHeadKind.Mlp, ProjectionSize = 4 });
        long convs = 9L * (c * 64 + 64 * 128 + 128 * 128);
        long bns = 2L * (64 + 128 + 128);
        long dense = 2048 * 128 + 128;
        long head = 128 * 128 + 128 + 128 * 4 + 4;
        Assert.Equal(convs + bns + dense + head, Count(model));
        var backbone = new ConvN(c, widthFactor: 2);
        Assert.Equal(2048, backbone.OutputSize);
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 2048 }, backbone.call(randn(2, c, 32, 32)).shape);
    }

    [Fact]
    public void BadInputChannelsAreAUserError()
    {
        Assert.Throws<UserInputException>(() => new ConvN(0));
        Assert.Throws<UserInputException>(() => new ConvN(1, widthFactor: 0));
        Assert.Contains("convn", ModelFactory.Names);
        Assert.Contains("convn-wide", ModelFactory.Names);
    }
}
