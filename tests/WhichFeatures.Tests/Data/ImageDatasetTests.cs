using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>The batch helpers the trainer uses, against naive per-element references.</summary>
[Collection("torch")]
public class ImageDatasetTests
{
    private static ImageDataset Make(int n, int c, long[]? subclass = null, int seed = 0)
    {
        var rng = new Random(seed);
        var pixels = DataTestFiles.RandomBytes(rng, n * c * 4 * 5);
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray()) };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new[] { "a", "b" } };
        if (subclass is not null)
        {
            labels[LabelKeys.Subclass] = tensor(subclass);
            names[LabelKeys.Subclass] = new NumberedLabelNames(4);
        }
        return new ImageDataset("t", tensor(pixels, new long[] { n, c, 4, 5 }, dtype: ScalarType.Byte), labels, names);
    }

    [Fact]
    public void GetImagesScalesToUnitRange()
    {
        using var ds = Make(6, 3);
        using var idx = tensor(new long[] { 4, 1 });
        using var batch = ds.GetImages(idx);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, batch.shape);
        Assert.Equal(ScalarType.Float32, batch.dtype);
        var raw = ds.Images.data<byte>().ToArray();
        var got = batch.data<float>().ToArray();
        for (int j = 0; j < 60; j++)
        {
            Assert.Equal(raw[4 * 60 + j] / 255f, got[j], 6);
            Assert.Equal(raw[1 * 60 + j] / 255f, got[60 + j], 6);
        }
    }

    [Fact]
    public void AppendExtraChannelsAddsConstantPlanesAfterAugmentation()
    {
        using var plain = Make(5, 3, seed: 1);
        using var ds = RandBit.Apply(plain, 4, RandBitSource.SeededRandom, seed: 3);
        var values = ds.LabelValues(LabelKeys.RandBit);
        using var idx = tensor(new long[] { 3, 0, 3 });
        using var views = rand(3, 3, 4, 5);
        using var withBits = ds.AppendExtraChannels(views, idx);
        Assert.Equal(new long[] { 3, 7, 4, 5 }, withBits.shape);
        var got = withBits.data<float>().ToArray();
        var v = views.data<float>().ToArray();
        var rows = new[] { 3, 0, 3 };
        for (int b = 0; b < 3; b++)
        {
            for (int j = 0; j < 60; j++) Assert.Equal(v[b * 60 + j], got[b * 140 + j]); // image channels untouched
            for (int bit = 0; bit < 4; bit++)
                for (int p = 0; p < 20; p++)
                    Assert.Equal((values[rows[b]] >> bit) & 1, (long)got[b * 140 + 60 + bit * 20 + p]);
        }
        // Without extra channels the views come back as they are.
        using var same = plain.AppendExtraChannels(views, idx);
        Assert.Equal(views.shape, same.shape);
    }

    [Fact]
    public void ChannelStatisticsMatchANaiveLoop()
    {
        using var ds = Make(7, 3, seed: 2);
        var (mean, std) = ds.ChannelStatistics();
        var raw = ds.Images.data<byte>().ToArray();
        for (int c = 0; c < 3; c++)
        {
            var values = Enumerable.Range(0, 7).SelectMany(i => Enumerable.Range(0, 20).Select(p => raw[i * 60 + c * 20 + p] / 255.0)).ToArray();
            double m = values.Average();
            double s = Math.Sqrt(values.Select(x => (x - m) * (x - m)).Average());
            Assert.Equal(m, mean[c], 10);
            Assert.Equal(s, std[c], 10);
        }
    }

    [Fact]
    public void TakeStratifiesOnTheSubclassWhenThereIsOne()
    {
        // Subclasses 0..3 with 10 each; class = subclass % 2. Taking 8 keeps 2 of each subclass.
        var sub = Enumerable.Range(0, 40).Select(i => (long)(i % 4)).ToArray();
        using var ds = Make(40, 1, sub);
        using var taken = ds.Take(8, seed: 4);
        Assert.Equal(new long[] { 2, 2, 2, 2 }, taken.CountsPerClass(LabelKeys.Subclass));
        using var byClass = ds.Take(8, seed: 4, labelKey: LabelKeys.Class);
        Assert.Equal(new long[] { 4, 4 }, byClass.CountsPerClass());
    }

    [Fact]
    public void GzippedFileWithoutGzSuffixGetsAHint()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var bytes = DataTestFiles.Gzip(DataTestFiles.CifarRecords(new[] { new byte[] { 1 } }, new byte[3072]));
        File.WriteAllBytes(Path.Combine(tmp.Path, "test_batch.bin"), bytes);
        var e = Assert.Throws<DatasetFormatException>(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test));
        Assert.Contains("gzip-compressed", e.Message);
    }
}
