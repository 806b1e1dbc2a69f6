using System.Diagnostics;
using System.IO.Compression;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>The loaders on the real files in ../shared/data (skipped when absent).</summary>
[Collection("torch")]
public class RealDataTests
{
    private static string Require(string sub)
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, sub)), $"../shared/data/{sub} not found (set WHICHFEATURES_SHARED)");
        return shared!;
    }

    private static byte[] Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    [SkippableFact]
    public void MnistHasTheKnownCountsPerDigit()
    {
        var shared = Require("mnist");
        using (TorchSharp.torch.zeros(1)) { } // load libtorch first: its one-off start-up is not the loader's time
        var sw = Stopwatch.StartNew();
        using var train = MnistLoader.Load(shared, DatasetSplit.Train);
        var loadSeconds = sw.Elapsed.TotalSeconds;
        using var test = MnistLoader.Load(shared, DatasetSplit.Test);
        Assert.Equal(new long[] { 60000, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, test.Images.shape);
        // Published MNIST class totals (LeCun et al.): train digit 1 = 6742, test digit 1 = 1135, ...
        Assert.Equal(new long[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, train.CountsPerClass());
        Assert.Equal(new long[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, test.CountsPerClass());
        // Pixel check against the raw IDX bytes of the last image.
        var raw = Gunzip(Path.Combine(shared, "mnist", "train-images-idx3-ubyte.gz"));
        var last = raw.AsSpan(16 + 59999 * 784, 784).ToArray();
        Assert.Equal(last, train.Images[59999].contiguous().data<byte>().ToArray());
        // Bulk reads: 60k images should load in well under a second; the bound is loose for a busy 2-core machine.
        Assert.True(loadSeconds < 3, $"MNIST train took {loadSeconds:F2} s to load");
    }

    [SkippableFact]
    public void Cifar10CountsMatchTheRawBytes()
    {
        var shared = Require("cifar-10-batches-bin");
        using var train = Cifar10Loader.Load(shared, DatasetSplit.Train);
        using var test = Cifar10Loader.Load(shared, DatasetSplit.Test);
        Assert.Equal(new long[] { 10000, 3, 32, 32 }, test.Images.shape);
        Assert.Equal(Enumerable.Repeat(1000L, 10), test.CountsPerClass());

        // Per-class totals computed independently from every training batch file present (the official set has
        // data_batch_1..5; an older copy only the first): every 3073rd byte of a decompressed batch is a label.
        var batches = Enumerable.Range(1, 5).Select(i => Path.Combine(shared, "cifar-10-batches-bin", $"data_batch_{i}.bin.gz"))
            .TakeWhile(File.Exists).Select(Gunzip).ToArray();
        Assert.NotEmpty(batches);
        Assert.All(batches, raw => Assert.Equal(10000 * 3073, raw.Length));
        Assert.Equal(new long[] { 10000L * batches.Length, 3, 32, 32 }, train.Images.shape);
        var expected = new long[10];
        foreach (var raw in batches)
            for (int r = 0; r < 10000; r++) expected[raw[r * 3073]]++;
        Assert.Equal(expected, train.CountsPerClass());
        // Image 1234 of the first file, and image 777 of the last, against their record bytes.
        Assert.Equal(batches[0].AsSpan(1234 * 3073 + 1, 3072).ToArray(), train.Images[1234].contiguous().data<byte>().ToArray());
        long lastStart = 10000L * (batches.Length - 1);
        Assert.Equal(batches[^1].AsSpan(777 * 3073 + 1, 3072).ToArray(), train.Images[lastStart + 777].contiguous().data<byte>().ToArray());
        Assert.Equal("airplane", train.Names()[0]);
        Assert.Equal("truck", train.Names()[9]);
    }
}
