using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Augmentation;

/// <summary>Random resized crop and flip against exact identities and a slow per-pixel bilinear reference.</summary>
[Collection("torch")]
public class CropFlipTests
{
    private static Tensor Images(Device device, long b = 3, long c = 3, long h = 16, long w = 12, long seed = 1)
    {
        var g = new Generator((ulong)seed);
        return rand(new[] { b, c, h, w }, generator: g).to(device);
    }

    [Fact]
    public void FullBoxWithoutFlipReturnsTheInput()
    {
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device);
            using var boxes = CropResize.FullBoxes(3, 16, 12);
            using var y = CropResize.Apply(x, boxes, flips: null);
            Assert.Equal(x.shape, y.shape);
            Assert.True(y.sub(x).abs().max().ToDouble() < 1e-5);
        }
    }

    [Fact]
    public void FullBoxWithFlipEqualsTorchFlip()
    {
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device);
            using var boxes = CropResize.FullBoxes(3, 16, 12);
            using var flips = tensor(new[] { true, false, true });
            using var y = CropResize.Apply(x, boxes, flips);
            using var flipped = x.flip(3);
            Assert.True(y[0].sub(flipped[0]).abs().max().ToDouble() < 1e-5);
            Assert.True(y[1].sub(x[1]).abs().max().ToDouble() < 1e-5);
            Assert.True(y[2].sub(flipped[2]).abs().max().ToDouble() < 1e-5);
        }
    }

    [Fact]
    public void RandomHorizontalFlipWithPOneOrZero()
    {
        using var x = Images(CPU);
        using var all = new RandomHorizontalFlip(1).Apply(x, new Generator(3));
        using var none = new RandomHorizontalFlip(0).Apply(x, new Generator(3));
        using var flipped = x.flip(3);
        Assert.True(all.equal(flipped).all().ToBoolean());
        Assert.True(none.equal(x).all().ToBoolean());
    }

    [Theory]
    [InlineData(16, 12)]   // same size as the input
    [InlineData(20, 24)]   // upscale to another size
    [InlineData(5, 7)]     // downscale
    public void KnownBoxesMatchPerPixelBilinearReference(int outH, int outW)
    {
        // Boxes: interior, touching the top-left corner, touching the bottom-right corner, a thin strip.
        double[][] box = { new double[] { 3, 2, 8, 6 }, new double[] { 0, 0, 5, 9 }, new double[] { 9, 4, 7, 8 }, new double[] { 6, 0, 2, 12 } };
        bool[] flip = { false, true, false, true };
        foreach (var device in TorchDevice.Available)
        {
            using var x = Images(device, b: 4, c: 3, h: 16, w: 12, seed: 7);
            using var boxes = tensor(box.SelectMany(r => r).ToArray()).view(4, 4);
            using var flips = tensor(flip);
            using var y = CropResize.Apply(x, boxes, flips, outH, outW);
            Assert.Equal(new long[] { 4, 3, outH, outW }, y.shape);
            var xin = NaiveImage.ToArray(x);
            var expected = xin.Select((img, i) => img.Select(ch => NaiveImage.CropResize(ch, box[i][0], box[i][1], box[i][2], box[i][3], flip[i], outH, outW)).ToArray()).ToArray();
            Assert.True(NaiveImage.MaxAbsDiff(expected, NaiveImage.ToArray(y)) < 1e-5);
        }
    }

    [Fact]
    public void HalvingCropEqualsCropThenBilinearInterpolate()
    {
        // An independent reference: cropping then torch's own bilinear resize (2x downscale stays inside the box).
        using var x = Images(CPU, b: 1, c: 3, h: 16, w: 16, seed: 5);
        using var boxes = tensor(new double[] { 2, 4, 8, 10 }).view(1, 4);
        using var y = CropResize.Apply(x, boxes, null, 4, 5);
        using var crop = x[.., .., 2..10, 4..14];
        using var reference = nn.functional.interpolate(crop, new long[] { 4, 5 }, mode: InterpolationMode.Bilinear, align_corners: false);
        Assert.True(y.sub(reference).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void SampledBoxesRespectScaleRatioAndBounds()
    {
        var crop = new RandomResizedCrop(0.2, 1.0, 3.0 / 4, 4.0 / 3);
        using var boxes = crop.SampleBoxes(4000, 32, 32, new Generator(11));
        var b = boxes.data<double>().ToArray();
        double meanArea = 0;
        for (int i = 0; i < 4000; i++)
        {
            double top = b[4 * i], left = b[4 * i + 1], h = b[4 * i + 2], w = b[4 * i + 3];
            Assert.True(top >= 0 && left >= 0 && h >= 1 && w >= 1 && top + h <= 32 && left + w <= 32, $"box {i} out of bounds");
            Assert.Equal(Math.Round(h), h); Assert.Equal(Math.Round(top), top);
            // Integer rounding moves area and ratio a little; allow one pixel of slack on each side.
            Assert.InRange(h * w / 1024.0, 0.2 * 0.8, 1.0);
            Assert.InRange(w / h, 0.75 * 0.85, 4.0 / 3 / 0.85);
            meanArea += h * w / 1024.0;
        }
        // Area fraction is uniform on [0.2, 1] (all attempts succeed at ratio <= 4/3 only when they fit; mean ~0.57-0.6).
        Assert.InRange(meanArea / 4000, 0.52, 0.62);
    }

    [Fact]
    public void ImpossibleCropsFallBackToTheClampedCentralCrop()
    {
        // A 8 x 32 image with ratio fixed at 1 and area >= 0.9 can never fit: torchvision centres an 8 x 8 crop.
        var crop = new RandomResizedCrop(0.9, 1.0, 1.0, 1.0);
        using var boxes = crop.SampleBoxes(5, 8, 32, new Generator(2));
        var b = boxes.data<double>().ToArray();
        for (int i = 0; i < 5; i++) Assert.Equal(new double[] { 0, 12, 8, 8 }, b.Skip(4 * i).Take(4).ToArray());
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.75, 1.33)]
    [InlineData(-0.1, 1.0, 0.75, 1.33)]
    [InlineData(0.5, 1.2, 0.75, 1.33)]
    [InlineData(0.5, 0.4, 0.75, 1.33)]
    [InlineData(0.5, 1.0, 0.0, 1.33)]
    [InlineData(0.5, 1.0, 1.5, 1.0)]
    public void InvalidCropParametersThrow(double sMin, double sMax, double rMin, double rMax)
    {
        var e = Assert.Throws<UserInputException>(() => new RandomResizedCrop(sMin, sMax, rMin, rMax));
        Assert.Contains("crop", e.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void InvalidFlipProbabilityThrows(double p) =>
        Assert.Throws<UserInputException>(() => new RandomHorizontalFlip(p));
}
