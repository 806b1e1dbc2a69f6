using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Models;

/// <summary>Encoders: shapes, the CIFAR stem, parameter counts against hand-computed values, finite gradients.</summary>
[Collection("torch")]
public class ModelTests
{
    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    public static IEnumerable<object[]> ShapeCases() =>
        from name in new[] { "convnet", "resnet18" }
        from channels in new[] { 1, 3, 8 }
        from embedding in new int?[] { null, 16 }
        from head in new[] { ProjectionHeadKind.None, ProjectionHeadKind.Linear, ProjectionHeadKind.Mlp }
        // Keep the slow ResNet cases few: one per channel count, covering every head and both embedding settings.
        where name == "convnet" || (channels, embedding, head) is (3, null, ProjectionHeadKind.Mlp) or (8, 16, ProjectionHeadKind.None) or (1, 16, ProjectionHeadKind.Linear)
        select new object[] { name, channels, embedding!, head };

    [Theory]
    [MemberData(nameof(ShapeCases))]
    public void OutputShapes(string name, int channels, int? embedding, ProjectionHeadKind head)
    {
        foreach (var device in TorchDevice.Available)
        {
            using var model = ModelFactory.Create(new ModelConfig { Name = name, InChannels = channels, EmbeddingSize = embedding, Head = head, ProjectionSize = 24 }, device);
            long width = name == "convnet" ? 256 : 512;
            long p = embedding ?? width, q = head == ProjectionHeadKind.None ? p : 24;
            Assert.Equal(p, model.RepresentationSize);
            Assert.Equal(q, model.ProjectionSize);
            using var x = rand(new long[] { 2, channels, 16, 16 }, device: device);
            var (r, z) = model.call(x);
            using (r) using (z)
            {
                Assert.Equal(new[] { 2L, p }, r.shape);
                Assert.Equal(new[] { 2L, q }, z.shape);
                Assert.Equal(device.type, z.device.type);
                if (head == ProjectionHeadKind.None) Assert.True(r.equal(z).all().ToBoolean());
            }
        }
    }

    [Fact]
    public void ConvNetAcceptsMnistSizedImages()
    {
        using var model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = 1, Head = ProjectionHeadKind.Mlp });
        using var x = rand(3, 1, 28, 28);
        var (r, z) = model.call(x);
        using (r) using (z) { Assert.Equal(new[] { 3L, 256 }, r.shape); Assert.Equal(new[] { 3L, 128 }, z.shape); }
    }

    [Fact]
    public void CifarStemIsThreeByThreeStrideOneWithoutMaxPool()
    {
        var net = new ResNet18(3);
        using var x = rand(2, 3, 32, 32);
        using var stem = net.ForwardStem(x);
        Assert.Equal(new long[] { 2, 64, 32, 32 }, stem.shape); // an ImageNet stem (7x7/2 + max-pool) would give 8x8
        var conv1 = net.named_parameters().Single(p => p.name == "conv1.weight").parameter;
        Assert.Equal(new long[] { 64, 3, 3, 3 }, conv1.shape);
        // The network downsamples exactly 3 times after the stem: a 32x32 input ends at 4x4 before pooling.
        using var y = net.call(x);
        Assert.Equal(new long[] { 2, 512 }, y.shape);
    }

    [Fact]
    public void ResNet18ParameterCountMatchesTheKnownCifarValue()
    {
        // kuangliu/pytorch-cifar ResNet18 with a 10-class fc has 11,173,962 parameters.
        var backbone = new ResNet18(3);
        var fc = nn.Linear(512, 10);
        Assert.Equal(11_173_962, Count(backbone) + Count(fc));
        // Extra input channels only add stem weights: 64 x 3 x 3 per channel.
        Assert.Equal(Count(backbone) + 5 * 64 * 9, Count(new ResNet18(8)));
    }

    [Theory]
    [InlineData(3, null, ProjectionHeadKind.Mlp, 128)]
    [InlineData(1, 64, ProjectionHeadKind.Linear, 32)]
    [InlineData(13, 4, ProjectionHeadKind.None, 128)]
    public void ConvNetParameterCountMatchesHandCount(int c, int? embedding, ProjectionHeadKind head, int q)
    {
        using var model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = c, EmbeddingSize = embedding, Head = head, ProjectionSize = q });
        long convs = 9L * (c * 32 + 32 * 64 + 64 * 128 + 128 * 256);   // 3x3 convs, no bias
        long bns = 2L * (32 + 64 + 128 + 256);                          // BN weight + bias
        long p = embedding ?? 256;
        long embed = embedding is null ? 0 : 256 * p + p;
        long headCount = head switch
        {
            ProjectionHeadKind.None => 0,
            ProjectionHeadKind.Linear => p * q + q,
            _ => p * p + p + p * q + q,
        };
        Assert.Equal(convs + bns + embed + headCount, Count(model));
    }

    [Theory]
    [InlineData("convnet")]
    [InlineData("resnet18")]
    public void BackwardGivesFiniteGradientsEverywhere(string name)
    {
        foreach (var device in TorchDevice.Available)
        {
            using var model = ModelFactory.Create(new ModelConfig { Name = name, InChannels = 4, EmbeddingSize = 32, Head = ProjectionHeadKind.Mlp, ProjectionSize = 16 }, device);
            model.train();
            using var scope = NewDisposeScope();
            var x = rand(new long[] { 4, 4, 16, 16 }, device: device);
            var (r, z) = model.call(x);
            var loss = z.pow(2).mean().add(r.pow(2).mean());
            loss.backward();
            foreach (var (pname, p) in model.named_parameters())
            {
                Assert.True(p.grad is not null, $"{pname} has no gradient");
                Assert.True(p.grad!.isfinite().all().ToBoolean(), $"{pname} has a non-finite gradient");
            }
            Assert.Contains(model.parameters(), p => p.grad is not null && p.grad.abs().sum().ToDouble() > 0);
        }
    }

    [Fact]
    public void RepresentMatchesTheForwardRepresentation()
    {
        using var model = ModelFactory.Create(new ModelConfig { Name = "convnet", EmbeddingSize = 10 });
        model.eval();
        using var x = rand(3, 3, 16, 16);
        var (r, z) = model.call(x);
        using var r2 = model.Represent(x);
        using (r) using (z) Assert.True(r.sub(r2).abs().max().ToDouble() < 1e-6);
    }

    [Fact]
    public void ParameterNamesAreStableForCheckpoints()
    {
        using var model = ModelFactory.Create(new ModelConfig { Name = "resnet18", EmbeddingSize = 64, Head = ProjectionHeadKind.Mlp });
        var names = model.state_dict().Keys.ToHashSet();
        Assert.Contains("backbone.conv1.weight", names);
        Assert.Contains("backbone.layer4.1.bn2.running_mean", names);
        Assert.Contains("embedding.weight", names);
        Assert.Contains("head.head.2.weight", names);
    }

    [Fact]
    public void BadConfigurationsThrowUserInputErrors()
    {
        var e = Assert.Throws<UserInputException>(() => ModelFactory.Create(new ModelConfig { Name = "vgg" }));
        foreach (var n in ModelFactory.Names) Assert.Contains(n, e.Message);
        Assert.Throws<UserInputException>(() => ModelFactory.Create(new ModelConfig { InChannels = 0 }));
        Assert.Throws<UserInputException>(() => ModelFactory.Create(new ModelConfig { EmbeddingSize = 0 }));
        Assert.Throws<UserInputException>(() => ModelFactory.Create(new ModelConfig { ProjectionSize = 0 }));
        Assert.Equal(ProjectionHeadKind.Mlp, ProjectionHeadKinds.Parse("MLP"));
        var h = Assert.Throws<UserInputException>(() => ProjectionHeadKinds.Parse("deep"));
        Assert.Contains("linear", h.Message);
    }
}
