using TorchSharp;
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
}
