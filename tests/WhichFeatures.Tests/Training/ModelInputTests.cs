using TorchSharp;
using WhichFeatures.Data;
using WhichFeatures.Models;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>What the trainer feeds the model: standardised images with the RandBit planes appended, against naive loops.</summary>
[Collection("torch")]
public class ModelInputTests
{
    private static ImageDataset Make(int n, int c, int seed)
    {
        var rng = new Random(seed);
        var pixels = DataTestFiles.RandomBytes(rng, n * c * 4 * 5);
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray()) };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new[] { "a", "b" } };
        return new ImageDataset("t", tensor(pixels, new long[] { n, c, 4, 5 }, dtype: ScalarType.Byte), labels, names);
    }

    [Fact]
    public void StandardisesWithTheTrainingStatisticsAndAppendsTheBitsAsConstantPlanes()
    {
        using var plain = Make(7, 3, seed: 2);
        using var ds = RandBit.Apply(plain, 4, RandBitSource.SeededRandom, seed: 3);
        using var input = new ModelInput(ds, CPU);
        Assert.Equal(7, input.InChannels);
        var raw = ds.Images.data<byte>().ToArray();                                              // [7, 3, 4, 5] flat
        var bits = ds.LabelValues(LabelKeys.RandBit);

        // Naive statistics per channel over all 7 images (unbiased std, as torch.std).
        var mean = new double[3];
        var std = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var v = Enumerable.Range(0, 7).SelectMany(i => Enumerable.Range(0, 20).Select(p => raw[i * 60 + c * 20 + p] / 255.0)).ToArray();
            mean[c] = v.Average();
            std[c] = Math.Sqrt(v.Sum(x => (x - mean[c]) * (x - mean[c])) / (v.Length - 1));
        }

        var rows = new long[] { 5, 0, 5 };
        using var idx = tensor(rows);
        using var images = ds.Images.index_select(0, idx).to_type(ScalarType.Float32) / 255.0;  // [3, 3, 4, 5]
        using var extra = ds.ExtraChannels!.index_select(0, idx);                                // [3, 4]
        using var x = input.Prepare(images, extra);                                              // [3, 7, 4, 5]
        Assert.Equal(new long[] { 3, 7, 4, 5 }, x.shape);
        Assert.False(ChannelsLast.Is(x));   // NCHW, as the trainer's convolution path expects (Models/ConvolutionPathCheck)
        // Two views: the same preparation of each, stacked, in the same memory order.
        using var twoViews = input.PrepareTwoViews(images, images.flip(3), extra);               // [6, 7, 4, 5]
        Assert.False(ChannelsLast.Is(twoViews));
        using var second = input.Prepare(images.flip(3), extra);
        Assert.Equal(x.contiguous().data<float>().ToArray(), twoViews.narrow(0, 0, 3).contiguous().data<float>().ToArray());
        Assert.Equal(second.contiguous().data<float>().ToArray(), twoViews.narrow(0, 3, 3).contiguous().data<float>().ToArray());
        var got = x.contiguous().data<float>().ToArray();
        for (int b = 0; b < 3; b++)
        {
            long r = rows[b];
            for (int c = 0; c < 3; c++)
                for (int p = 0; p < 20; p++)
                    Assert.Equal((raw[r * 60 + c * 20 + p] / 255.0 - mean[c]) / std[c], got[b * 140 + c * 20 + p], 4);
            for (int bit = 0; bit < 4; bit++)
                for (int p = 0; p < 20; p++)
                    Assert.Equal((bits[r] >> bit) & 1, (long)got[b * 140 + 60 + bit * 20 + p]);   // constant plane = the bit
        }
    }

    [Fact]
    public void WithoutBitsOnlyStandardises()
    {
        using var ds = Make(4, 1, seed: 5);
        using var input = new ModelInput(ds, CPU);
        Assert.Equal(1, input.InChannels);
        using var images = ds.Images.to_type(ScalarType.Float32) / 255.0;                        // [4, 1, 4, 5]
        using var x = input.Prepare(images, null);                                               // [4, 1, 4, 5]
        Assert.Equal(images.shape, x.shape);
        // Standardised with its own statistics: mean 0, unbiased std 1 over the whole split.
        Assert.True(Math.Abs(x.mean().ToDouble()) < 1e-5);
        Assert.True(Math.Abs(x.std().ToDouble() - 1) < 1e-5);
    }
}
