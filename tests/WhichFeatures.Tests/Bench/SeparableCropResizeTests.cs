using TorchSharp;
using WhichFeatures.Augmentation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Bench;

[Collection("torch")]
public class SeparableCropResizeTests
{
    // The reference is CropResize (affine_grid + grid_sample), itself tested against torchvision semantics.
    [Theory]
    [InlineData(32, 32, 0, 0)]
    [InlineData(32, 32, 24, 40)]     // other output size (up- and down-sampling)
    [InlineData(28, 20, 0, 0)]       // non-square input
    public void MatchesGridSampleForRandomBoxesAndFlips(int h, int w, int outH, int outW)
    {
        set_num_threads(1);
        var gen = new Generator(9);
        using var images = rand(new long[] { 16, 3, h, w }, generator: gen);                       // [B, 3, H, W]
        var crop = new RandomResizedCrop(0.08, 1.0);
        using var boxes = crop.SampleBoxes(16, h, w, gen);                                         // [B, 4]
        using var flips = new RandomHorizontalFlip(0.5).SampleFlips(16, gen);                      // [B]
        using var expected = CropResize.Apply(images, boxes, flips, outH, outW);
        using var actual = SeparableCropResize.Apply(images, boxes, flips, outH, outW);
        Assert.Equal(expected.shape, actual.shape);
        double maxDiff = (expected - actual).abs().max().ToDouble();
        Assert.True(maxDiff < 1e-5, $"max |difference| {maxDiff:E2}");
    }

    [Fact]
    public void FullBoxWithoutFlipIsTheIdentity()
    {
        using var images = rand(4, 3, 8, 8);
        using var boxes = CropResize.FullBoxes(4, 8, 8);
        using var y = SeparableCropResize.Apply(images, boxes, null);
        Assert.True(y.allclose(images, rtol: 0, atol: 1e-6));
    }
}
