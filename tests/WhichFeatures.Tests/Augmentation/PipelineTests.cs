using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Augmentation;

/// <summary>The pipeline: presets, per-sample randomness, reproducibility, shapes, dtype and range.</summary>
[Collection("torch")]
public class PipelineTests
{
    private static Tensor Uint8Images(long b, long c, long seed) =>
        randint(0, 256, new[] { b, c, 32, 32 }, dtype: ScalarType.Byte, generator: new Generator((ulong)seed));

    [Theory]
    [InlineData("none")]
    [InlineData("crop")]
    [InlineData("weak")]
    [InlineData("SimCLR")]
    [InlineData("strong")]
    [InlineData("strong-color")]
    [InlineData("strong-gray")]
    public void PresetsParseAndProduceFloatImagesInRange(string preset)
    {
        var pipeline = AugmentationPipeline.FromPreset(AugmentationOptions.Presets.Parse(preset));
        foreach (var device in TorchDevice.Available)
            foreach (var c in new long[] { 1, 3 })
            {
                using var x = Uint8Images(6, c, 1).to(device);
                using var y = pipeline.Apply(x, new Generator(5));
                Assert.Equal(new long[] { 6, c, 32, 32 }, y.shape);
                Assert.Equal(ScalarType.Float32, y.dtype);
                Assert.Equal(device.type, y.device.type);
                Assert.True(y.min().ToDouble() >= 0 && y.max().ToDouble() <= 1);
                if (preset == "none")
                {
                    using var expected = x.to_type(ScalarType.Float32).div(255);
                    Assert.True(y.equal(expected).all().ToBoolean());
                }
            }
    }

    [Fact]
    public void PresetValuesAreTheDocumentedOnes()
    {
        var s = AugmentationOptions.Preset(AugmentPreset.Simclr);
        Assert.Equal((true, 0.2, 1.0, 0.5), (s.RandomCrop, s.CropScaleMin, s.CropScaleMax, s.FlipProbability));
        Assert.Equal((0.4, 0.4, 0.4, 0.1, 0.8, 0.2), (s.Brightness, s.Contrast, s.Saturation, s.Hue, s.JitterProbability, s.GrayscaleProbability));
        var w = AugmentationOptions.Preset(AugmentPreset.Weak);
        Assert.Equal((true, 0.6, 0.5, 0.0, 0.0), (w.RandomCrop, w.CropScaleMin, w.FlipProbability, w.JitterProbability, w.GrayscaleProbability));
        var st = AugmentationOptions.Preset(AugmentPreset.Strong);
        Assert.Equal((0.08, 0.8, 0.8, 0.8, 0.2, 0.8, 0.2), (st.CropScaleMin, st.Brightness, st.Contrast, st.Saturation, st.Hue, st.JitterProbability, st.GrayscaleProbability));
        var sc = AugmentationOptions.Preset(AugmentPreset.StrongColor);
        Assert.Equal((0.2, 0.5, 0.8, 0.8, 0.8, 0.2, 0.8, 0.2), (sc.CropScaleMin, sc.FlipProbability, sc.Brightness, sc.Contrast, sc.Saturation, sc.Hue, sc.JitterProbability, sc.GrayscaleProbability));
        var sg = AugmentationOptions.Preset(AugmentPreset.StrongGray);
        Assert.Equal((0.2, 0.5, 0.4, 0.4, 0.4, 0.1, 0.8, 0.8), (sg.CropScaleMin, sg.FlipProbability, sg.Brightness, sg.Contrast, sg.Saturation, sg.Hue, sg.JitterProbability, sg.GrayscaleProbability));
        var none = AugmentationPipeline.FromPreset(AugmentPreset.None);
        Assert.Null(none.Crop); Assert.Null(none.Flip); Assert.Null(none.Jitter); Assert.Null(none.Grayscale);
    }

    [Fact]
    public void UnknownPresetListsTheNames()
    {
        var e = Assert.Throws<UserInputException>(() => AugmentationOptions.Presets.Parse("medium"));
        foreach (var name in AugmentationOptions.PresetNames) Assert.Contains(name, e.Message);
    }

    [Fact]
    public void BadOverridesThrowEvenWhenTheTransformIsOff()
    {
        Assert.Throws<UserInputException>(() => new AugmentationPipeline(AugmentationOptions.Preset(AugmentPreset.Simclr) with { CropScaleMin = 0 }));
        Assert.Throws<UserInputException>(() => new AugmentationPipeline(AugmentationOptions.Preset(AugmentPreset.None) with { GrayscaleProbability = 2 }));
        Assert.Throws<UserInputException>(() => new AugmentationPipeline(AugmentationOptions.Preset(AugmentPreset.Weak) with { Hue = 0.7 }));
    }

    [Fact]
    public void SamplesOfTheSameImageDifferAndTheSeedReproduces()
    {
        foreach (var device in TorchDevice.Available)
        {
            var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
            using var one = Uint8Images(1, 3, 4);
            using var batch = one.expand(16, 3, 32, 32).contiguous().to(device);  // the same image 16 times
            using var a = pipeline.Apply(batch, new Generator(123));
            using var b = pipeline.Apply(batch, new Generator(123));
            using var c = pipeline.Apply(batch, new Generator(124));
            Assert.True(a.equal(b).all().ToBoolean(), "same seed, different output");
            Assert.False(a.equal(c).all().ToBoolean(), "different seeds, same output");
            // Per-sample parameters: all 16 views of the same image are pairwise different.
            using var flat = a.reshape(16, -1);
            using var dist = cdist(flat, flat);                                      // [16, 16]
            using var offDiag = dist.add(eye(16, device: device).mul(1e9));
            Assert.True(offDiag.min().ToDouble() > 1e-3);
            // Two views from one generator differ too.
            var g = new Generator(7);
            var (v1, v2) = pipeline.TwoViews(batch, g);
            using (v1) using (v2) Assert.False(v1.equal(v2).all().ToBoolean());
        }
    }

    [Fact]
    public void SameSeedGivesTheSameViewsOnEveryDevice()
    {
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Strong);
        using var x = Uint8Images(8, 3, 2);
        using var cpu = pipeline.Apply(x, new Generator(31));
        foreach (var device in TorchDevice.Available)
        {
            using var y = pipeline.Apply(x.to(device), new Generator(31));
            Assert.True(y.cpu().sub(cpu).abs().max().ToDouble() < 1e-4);
        }
    }

    [Fact]
    public void GeneratorAdvancesByTheSameAmountWhateverThePixels()
    {
        // Resume relies on this: the generator's state after a call depends on the batch size only.
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
        var g1 = new Generator(8); var g2 = new Generator(8);
        using var zerosBatch = zeros(new long[] { 5, 3, 32, 32 }, dtype: ScalarType.Byte);
        using var randomBatch = Uint8Images(5, 3, 9);
        pipeline.Apply(zerosBatch, g1).Dispose();
        pipeline.Apply(randomBatch, g2).Dispose();
        using var s1 = g1.get_state(); using var s2 = g2.get_state();
        Assert.True(s1.equal(s2).all().ToBoolean());
        using var empty = zeros(new long[] { 0, 3, 32, 32 }, dtype: ScalarType.Byte);
        using var none = pipeline.Apply(empty, g1);
        Assert.Equal(new long[] { 0, 3, 32, 32 }, none.shape);
    }

    [Fact]
    public void SimclrGreysAboutOneViewInFive()
    {
        // End to end: a view is grey exactly when R = G = B everywhere; the preset says p = 0.2.
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
        using var x = randint(0, 256, new long[] { 2000, 3, 8, 8 }, dtype: ScalarType.Byte, generator: new Generator(12));
        using var y = pipeline.Apply(x, new Generator(13));
        using var spread = y.amax(new long[] { 1 }).sub(y.amin(new long[] { 1 })).amax(new long[] { 1, 2 }); // [B]
        double grey = spread.lt(1e-6).to_type(ScalarType.Float64).mean().ToDouble();
        Assert.InRange(grey, 0.17, 0.23);
    }

    [Fact]
    public void RejectsWrongInputs()
    {
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
        using var fiveChannels = rand(2, 5, 8, 8);
        Assert.Throws<ArgumentException>(() => pipeline.Apply(fiveChannels, new Generator(1)));
        using var threeD = rand(3, 8, 8);
        Assert.Throws<ArgumentException>(() => pipeline.Apply(threeD, new Generator(1)));
        using var doubles = rand(new long[] { 2, 3, 8, 8 }, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => pipeline.Apply(doubles, new Generator(1)));
    }
}
