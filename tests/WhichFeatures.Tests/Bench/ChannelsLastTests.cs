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

    // libtorch carries the input's layout into the convolution's output; a dense output of 8 channels is unambiguous,
    // so its strides show which kernels ran. One channel is the case that used to fall back to NCHW (MNIST).
    [Theory]
    [InlineData(4, 1, 28, 28)]
    [InlineData(4, 3, 32, 32)]
    [InlineData(1, 1, 9, 9)]
    [InlineData(2, 6, 1, 7)]
    public void ConvolutionOfOfRunsNhwcForAnyChannelCount(int n, int c, int h, int w)
    {
        using var conv = nn.Conv2d(c, 8, kernel_size: 3, padding: 1, bias: false);
        using var x = rand(n, c, h, w, generator: new Generator(5));                                // [N, C, H, W] NCHW
        using var y = ChannelsLast.Of(x);
        Assert.True(ChannelsLast.Is(y), $"Of gave strides [{string.Join(", ", y.stride())}]");
        Assert.Equal(x.data<float>().ToArray(), y.contiguous().data<float>().ToArray());
        using var nhwcOut = conv.call(y);                                                         // [N, 8, H, W]
        using var nchwOut = conv.call(x);                                                         // [N, 8, H, W]
        long[] nhwcStrides = [h * w * 8, 1, w * 8, 8], nchwStrides = [8 * h * w, h * w, w, 1];
        Assert.Equal(SizeOneFree(nhwcOut.shape, nhwcStrides), SizeOneFree(nhwcOut.shape, nhwcOut.stride()));
        Assert.Equal(SizeOneFree(nchwOut.shape, nchwStrides), SizeOneFree(nchwOut.shape, nchwOut.stride()));
        Assert.True(ChannelsLast.Is(nhwcOut));
        Assert.False(ChannelsLast.Is(nchwOut));
    }

    // A view that starts inside its storage (rows 1-2 of 3): with one channel contiguous() returns the view itself,
    // so the NHWC strides must be set from the view's own offset, not from the storage's start.
    [Fact]
    public void OfKeepsTheValuesOfAViewIntoLargerStorage()
    {
        using var all = arange(3 * 1 * 4 * 5, dtype: ScalarType.Float32).reshape(3, 1, 4, 5);     // [3, 1, 4, 5]
        using var rows = all.narrow(0, 1, 2);                                                     // [2, 1, 4, 5], offset 20
        using var y = ChannelsLast.Of(rows);
        Assert.True(ChannelsLast.Is(y));
        Assert.Equal(Enumerable.Range(20, 40).Select(v => (float)v).ToArray(), y.contiguous().data<float>().ToArray());
    }

    // A size-1 dimension's stride is free: zero it so that only the others are compared.
    private static long[] SizeOneFree(long[] shape, long[] strides) => strides.Select((s, i) => shape[i] == 1 ? 0 : s).ToArray();

    // Is follows libtorch's reading, checked on strided views whose layout conv reports through its output.
    [Theory]
    [InlineData(new long[] { 2, 1, 5, 5 }, new long[] { 25, 25, 5, 1 }, false)]    // one channel, NCHW strides
    [InlineData(new long[] { 2, 1, 5, 5 }, new long[] { 25, 1, 5, 1 }, true)]      // one channel, NHWC strides
    [InlineData(new long[] { 2, 3, 4, 5 }, new long[] { 60, 20, 5, 1 }, false)]
    [InlineData(new long[] { 2, 3, 4, 5 }, new long[] { 60, 1, 15, 3 }, true)]
    [InlineData(new long[] { 3, 1, 1, 1 }, new long[] { 1, 1, 1, 1 }, false)]      // N111: ambiguous, NCHW
    public void IsAgreesWithTheLayoutConvolutionChooses(long[] shape, long[] strides, bool nhwc)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        using var storage = rand(n, generator: new Generator(6));
        using var x = storage.as_strided(shape, strides);
        Assert.Equal(nhwc, ChannelsLast.Is(x));
        using var conv = nn.Conv2d(shape[1], 8, kernel_size: 1, bias: false);
        using var y = conv.call(x);                                                               // [N, 8, H, W]
        Assert.Equal(nhwc, ChannelsLast.Is(y));
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
        RelayConvWeightsNhwc(b);
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

    // The trainer hands its CPU models NHWC input and keeps the weights NCHW: same function, and after a training
    // step every weight, gradient and momentum buffer is still contiguous, so checkpoints can be written and
    // load into a fresh model (TorchSharp cannot save NHWC weights, see RelayConvWeightsNhwc).
    [Fact]
    public void NhwcInputWithNchwWeightsComputesTheSameAndStaysCheckpointable()
    {
        set_num_threads(1);
        var cfg = new ModelConfig { Name = "convnet", InChannels = 3, Head = ProjectionHeadKind.Mlp };
        manual_seed(11);
        using var model = ModelFactory.Create(cfg);
        using var x = rand(8, 3, 16, 16, generator: new Generator(3));                            // [8, 3, 16, 16] NCHW
        model.eval();
        using (no_grad())
        {
            using var hNchw = model.Represent(x);                                                // [8, p]
            using var hNhwc = model.Represent(ChannelsLast.Of(x));                              // [8, p]
            double rel = (hNchw - hNhwc).norm().ToDouble() / hNchw.norm().ToDouble();
            Assert.True(rel < 1e-5, $"NHWC input changes the representation: relative {rel:E2}");
        }

        model.train();
        var opt = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var (_, z) = model.call(ChannelsLast.Of(x));                                             // [8, q]
        InfoNceLoss.Ucl(z.narrow(0, 0, 4), z.narrow(0, 4, 4), 0.5).backward();
        opt.step();
        Assert.All(model.parameters(), p => Assert.True(p.is_contiguous() && p.grad!.is_contiguous(), "a weight or its gradient is not contiguous"));

        var bytes = new MemoryStream();
        using (var w = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            model.save(w);
            ((TorchSharp.Modules.OptimizerHelper)opt).save_state_dict(w);
        }
        manual_seed(12);
        using var copy = ModelFactory.Create(cfg);
        bytes.Position = 0;
        using (var r = new BinaryReader(bytes)) copy.load(r);
        copy.eval();
        model.eval();
        using var _ = no_grad();
        using var a = model.Represent(ChannelsLast.Of(x));
        using var b = copy.Represent(x);
        Assert.True((a - b).abs().max().ToDouble() < 1e-5, "the reloaded model computes something else");
    }

    // Re-lays every Conv2d weight of the model in NHWC order (same values, same requires_grad). TorchSharp 0.107
    // cannot save such weights, which is why the trainer makes only its input NHWC; this test shows both agree.
    private static void RelayConvWeightsNhwc(TorchSharp.torch.nn.Module module)
    {
        using var _ = no_grad();
        foreach (var conv in module.modules().OfType<TorchSharp.Modules.Conv2d>())
        {
            if (conv.weight is not { } w || ChannelsLast.Is(w)) continue;
            conv.weight = new TorchSharp.Modules.Parameter(ChannelsLast.Of(w.detach()), w.requires_grad);
        }
    }
}
