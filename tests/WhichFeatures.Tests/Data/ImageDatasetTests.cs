using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>Subsets, labels and format hints of <see cref="ImageDataset"/>.</summary>
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
