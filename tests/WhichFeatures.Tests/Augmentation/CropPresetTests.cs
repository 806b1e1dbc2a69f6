using TorchSharp;
using WhichFeatures.Augmentation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Augmentation;

/// <summary>
/// The <c>crop</c> preset (Chen et al.'s RandBit setting): a random resized crop of 50-100 % of the area and nothing
/// else, shown by drawing crops: the box areas span 0.5-1 and the pipeline's output is exactly the crop alone.
/// </summary>
[Collection("torch")]
public class CropPresetTests
{
    [Fact]
    public void SettingsAreCropHalfToAllAndNothingElse()
    {
        var o = AugmentationOptions.Preset(AugmentPreset.Crop);
        Assert.Equal((true, 0.5, 1.0), (o.RandomCrop, o.CropScaleMin, o.CropScaleMax));
        Assert.Equal((0.0, 0.0, 0.0), (o.FlipProbability, o.JitterProbability, o.GrayscaleProbability));
        var pipeline = new AugmentationPipeline(o);
        Assert.NotNull(pipeline.Crop);
        Assert.Null(pipeline.Flip); Assert.Null(pipeline.Jitter); Assert.Null(pipeline.Grayscale);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    public void DrawnCropsCoverHalfToAllOfTheImage(int side)
    {
        var crop = AugmentationPipeline.FromPreset(AugmentPreset.Crop).Crop!;
        using var boxes = crop.SampleBoxes(4000, side, side, new Generator(11));                 // [B, 4] top, left, h, w
        var b = boxes.data<double>().ToArray();
        var area = Enumerable.Range(0, 4000).Select(i => b[4 * i + 2] * b[4 * i + 3] / (side * side)).ToArray();
        // Rounding the sides to whole pixels moves an area by at most 0.5 * (h + w) / side^2 (< 4 % here) around the draw.
        Assert.All(area, a => Assert.InRange(a, 0.5 - 0.04, 1.0));
        Assert.True(area.Count(a => a < 0.56) > 200, "the low end of the range (0.5) is drawn");   // uniform: ~12 % of draws
        Assert.True(area.Count(a => a > 0.9) > 100, "the high end of the range (1) is drawn");
        Assert.Contains(area, a => a == 1.0);
        for (int i = 0; i < 4000; i++)
        {
            double top = b[4 * i], left = b[4 * i + 1], h = b[4 * i + 2], w = b[4 * i + 3];
            Assert.True(top >= 0 && left >= 0 && top + h <= side && left + w <= side, $"box {i} leaves the image");
        }
    }

    [Fact]
    public void TheViewIsTheCropAloneWithoutFlipJitterOrGrey()
    {
        using var x = randint(0, 256, new long[] { 64, 3, 32, 32 }, dtype: ScalarType.Byte, generator: new Generator(2));
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Crop);
        using var view = pipeline.Apply(x, new Generator(9));
        // The same draws replayed: boxes from a generator in the same state, resized with no flip.
        using var boxes = pipeline.Crop!.SampleBoxes(64, 32, 32, new Generator(9));
        using var xf = x.to_type(ScalarType.Float32).div(255);
        using var expected = CropResize.Apply(xf, boxes, flips: null);
        Assert.True(view.equal(expected).all().ToBoolean());
        // Colour untouched: a crop of a grey image stays grey, of a coloured one keeps its channels apart.
        using var diff = view.select(1, 0).sub(view.select(1, 1)).abs().max();
        Assert.True(diff.ToDouble() > 0.1);
    }
}
