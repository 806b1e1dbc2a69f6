using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Bench;

[Collection("torch")]
public class ChannelsLastTests
{
    [Fact]
    public void OfKeepsValuesAndMakesChannelsTheDensestDimension()
    {
        using var x = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);   // NCHW
        using var y = ChannelsLast.Of(x);
        Assert.False(ChannelsLast.Is(x));
        Assert.True(ChannelsLast.Is(y));
        Assert.Equal(new long[] { 60, 1, 15, 3 }, y.stride());
        Assert.Equal(x.data<float>().ToArray(), y.contiguous().data<float>().ToArray());
    }

    // float32: the NHWC kernels sum in another order, so ResNet-18's stem gradient moves by ~3e-3 relative
    // (measured); float64 shows the two layouts compute the same function.
    [Theory]
    // Small inputs keep it fast: both encoders end in adaptive average pooling, so any side >= 8 works.
    [InlineData("convnet", ScalarType.Float32, 1e-2, 32)]
    [InlineData("resnet18", ScalarType.Float32, 1e-2, 16)]
    [InlineData("resnet18", ScalarType.Float64, 1e-9, 8)]
    public void NhwcModelGivesTheSameLossAndGradientsAsNchw(string name, ScalarType dtype, double tolerance, int side)
    {
        set_num_threads(1);
        var cfg = new ModelConfig { Name = name, InChannels = 3, Head = ProjectionHeadKind.Mlp };
        manual_seed(4);
        using var a = ModelFactory.Create(cfg);
        manual_seed(4);
        using var b = ModelFactory.Create(cfg);
        a.to(dtype);
        b.to(dtype);
        ChannelsLast.Apply(b);
        Assert.All(b.modules().OfType<TorchSharp.Modules.Conv2d>(), c => Assert.True(ChannelsLast.Is(c.weight!)));
        using var x = rand(6, 3, side, side, generator: new Generator(2)).to(dtype);
        double Loss(ContrastiveModel m, Tensor input)
        {
            m.train();
            m.zero_grad();
            var (_, z) = m.call(input);
            var loss = InfoNceLoss.Ucl(z.narrow(0, 0, 3), z.narrow(0, 3, 3), 0.5);
            loss.backward();
            return loss.ToDouble();
        }
        double la = Loss(a, x), lb = Loss(b, ChannelsLast.Of(x));
        Assert.True(Math.Abs(la - lb) <= tolerance * Math.Abs(la), $"loss {la} vs {lb}");
        var ga = a.parameters().Select(p => p.grad!.contiguous().flatten()).ToArray();
        var gb = b.parameters().Select(p => p.grad!.contiguous().flatten()).ToArray();
        Assert.Equal(ga.Length, gb.Length);
        // Float32 sums in another order: compare each gradient by its relative norm difference.
        for (int i = 0; i < ga.Length; i++)
        {
            double rel = (ga[i] - gb[i]).norm().ToDouble() / Math.Max(ga[i].norm().ToDouble(), 1e-12);
            Assert.True(rel < tolerance, $"gradient {i} of {name}: relative difference {rel:E2}");
        }
    }
}
