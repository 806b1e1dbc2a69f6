using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Augmentation;

/// <summary>Colour jitter and grayscale against a naive per-pixel reference with the same factors.</summary>
[Collection("torch")]
public class ColorTests
{
    private static Tensor Images(Device device, long c = 3, long b = 4, long seed = 3) =>
        rand(new[] { b, c, 6, 5 }, generator: new Generator((ulong)seed)).to(device);

    private static double[][,] Op(double[][,] img, long op, double[] f) => op switch
    {
        0 => NaiveImage.Brightness(img, f[0]),
        1 => NaiveImage.Contrast(img, f[1]),
        2 => NaiveImage.Saturation(img, f[2]),
        _ => NaiveImage.Hue(img, f[3]),
    };

    private static void AssertJitterMatchesNaive(Tensor x, double[][] factors, long[][]? order)
    {
        using var p = ColorJitterParameters.From(factors, order);
        using var y = ColorJitter.Apply(x, p);
        Assert.Equal(x.shape, y.shape);
        var xin = NaiveImage.ToArray(x);
        var expected = xin.Select((img, i) =>
        {
            var cur = img;
            foreach (var op in order?[i] ?? new long[] { 0, 1, 2, 3 }) cur = Op(cur, op, factors[i]);
            return cur;
        }).ToArray();
        Assert.True(NaiveImage.MaxAbsDiff(expected, NaiveImage.ToArray(y)) < 1e-5);
    }

    [Theory]
    [InlineData(0)] // brightness
    [InlineData(1)] // contrast
    [InlineData(2)] // saturation
    [InlineData(3)] // hue
    public void EachOperationMatchesNaiveReference(int op)
    {
        // Per sample a different factor, including ones that push pixels out of [0, 1] (clamping is part of the op).
        double[] values = op == 3 ? new[] { 0.1, -0.25, 0.5, 0.03 } : new[] { 0.0, 0.6, 1.0, 1.8 };
        var factors = values.Select(v => { var f = new double[] { 1, 1, 1, 0 }; f[op] = v; return f; }).ToArray();
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device);
            AssertJitterMatchesNaive(x, factors, null);
        }
    }

    [Fact]
    public void AllOperationsInPerSampleOrdersMatchNaiveReference()
    {
        double[][] factors = { new[] { 1.3, 0.7, 1.4, 0.08 }, new[] { 0.6, 1.4, 0.2, -0.1 }, new[] { 1.1, 1.2, 0.9, 0.3 }, new[] { 0.9, 0.5, 1.6, -0.4 } };
        long[][] order = { new long[] { 3, 2, 1, 0 }, new long[] { 1, 0, 3, 2 }, new long[] { 0, 1, 2, 3 }, new long[] { 2, 3, 0, 1 } };
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device);
            AssertJitterMatchesNaive(x, factors, order);
        }
    }

    [Fact]
    public void OneChannelImagesGetBrightnessAndContrastOnly()
    {
        double[][] factors = { new[] { 1.3, 0.7, 0.1, 0.2 }, new[] { 0.6, 1.4, 1.9, -0.3 } };
        using var x = Images(CPU, c: 1, b: 2);
        AssertJitterMatchesNaive(x, factors, null); // naive saturation/hue leave 1-channel images unchanged
        using var gray = RandomGrayscale.Apply(x, tensor(new[] { true, true }));
        Assert.True(gray.equal(x).all().ToBoolean());
    }

    [Fact]
    public void HueRotationByZeroOrAFullTurnIsIdentity()
    {
        using var x = Images(CPU);
        using var p0 = ColorJitterParameters.From(Enumerable.Repeat(new double[] { 1, 1, 1, 0 }, 4).ToArray());
        using var y0 = ColorJitter.Apply(x, p0);
        Assert.True(y0.sub(x).abs().max().ToDouble() < 1e-5);
        // A full turn is the identity matrix.
        using var y1 = ColorJitter.HueMatrices(tensor(new double[] { 1.0, 0.0 }));
        Assert.True(y1.sub(eye(3, dtype: ScalarType.Float64)).abs().max().ToDouble() < 1e-9);
        // The luma row of every hue matrix is untouched: Y(M rgb) = Y(rgb).
        using var m = ColorJitter.HueMatrices(tensor(new double[] { 0.13, -0.4 }));      // [2, 3, 3]
        using var yiqY = tensor(new double[] { 0.299, 0.587, 0.114 }).view(1, 1, 3);
        using var lumaAfter = yiqY.matmul(m);                                            // [2, 1, 3]
        Assert.True(lumaAfter.sub(yiqY).abs().max().ToDouble() < 1e-9);
    }

    [Fact]
    public void GrayscaleMatchesNaiveLumaOnMaskedSamples()
    {
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device);
            bool[] mask = { true, false, false, true };
            using var y = RandomGrayscale.Apply(x, tensor(mask));
            var xin = NaiveImage.ToArray(x);
            var expected = xin.Select((img, i) => mask[i] ? NaiveImage.Grayscale(img) : img).ToArray();
            Assert.True(NaiveImage.MaxAbsDiff(expected, NaiveImage.ToArray(y)) < 1e-5);
        }
    }

    [Fact]
    public void SampledFactorsRespectRangesAndProbability()
    {
        var jitter = new ColorJitter(0.4, 0.3, 0.2, 0.1, p: 0.8);
        using var p = jitter.SampleParameters(5000, new Generator(9));
        var f = p.Factors.data<double>().ToArray();
        int applied = 0;
        for (int i = 0; i < 5000; i++)
        {
            var r = f.Skip(4 * i).Take(4).ToArray();
            if (r.SequenceEqual(new double[] { 1, 1, 1, 0 })) continue;
            applied++;
            Assert.InRange(r[0], 0.6, 1.4); Assert.InRange(r[1], 0.7, 1.3); Assert.InRange(r[2], 0.8, 1.2); Assert.InRange(r[3], -0.1, 0.1);
        }
        Assert.InRange(applied / 5000.0, 0.77, 0.83);
        // Every order row is a permutation, and orders vary between samples.
        var o = p.Order.data<long>().ToArray();
        for (int i = 0; i < 5000; i++) Assert.Equal(new long[] { 0, 1, 2, 3 }, o.Skip(4 * i).Take(4).OrderBy(v => v).ToArray());
        Assert.True(Enumerable.Range(0, 5000).Select(i => string.Join(",", o.Skip(4 * i).Take(4))).Distinct().Count() == 24);
    }

    [Theory]
    [InlineData(-0.1, 0.4, 0.4, 0.1, 0.8)]
    [InlineData(0.4, double.PositiveInfinity, 0.4, 0.1, 0.8)]
    [InlineData(0.4, 0.4, -1, 0.1, 0.8)]
    [InlineData(0.4, 0.4, 0.4, 0.6, 0.8)]
    [InlineData(0.4, 0.4, 0.4, -0.1, 0.8)]
    [InlineData(0.4, 0.4, 0.4, 0.1, 1.1)]
    public void InvalidJitterParametersThrow(double b, double c, double s, double h, double p)
    {
        var e = Assert.Throws<UserInputException>(() => new ColorJitter(b, c, s, h, p));
        Assert.Contains("jitter", e.Message);
        Assert.Throws<UserInputException>(() => new RandomGrayscale(p + 1));
    }
}
