using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>Each loader on small files written here in the official format, checked byte by byte.</summary>
[Collection("torch")]
public class LoaderTests
{
    private static byte[] Pixels(ImageDataset ds) => ds.Images.contiguous().data<byte>().ToArray();
    private static long[] Labels(ImageDataset ds, string key = LabelKeys.Class) => ds.Labels[key].data<long>().ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cifar10LoadsWhatWasWritten(bool gz)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteCifar10(tmp.Path, new Random(gz ? 1 : 2), gz);
        var names = new[] { "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9" };
        DataTestFiles.Write(Path.Combine(tmp.Path, "batches.meta.txt"), System.Text.Encoding.UTF8.GetBytes(string.Join("\n", names) + "\n\n"), gz);

        using var train = Cifar10Loader.Load(tmp.Path, DatasetSplit.Train);
        using var test = Cifar10Loader.Load(tmp.Path, DatasetSplit.Test);
        Assert.Equal(new long[] { 12, 3, 32, 32 }, train.Images.shape);
        Assert.Equal(new long[] { 4, 3, 32, 32 }, test.Images.shape);
        // Batches 1 then 3, in file order; pixels are the record bytes after the label byte, already [3, 32, 32].
        Assert.Equal(w.TrainPixels, Pixels(train));
        Assert.Equal(w.TrainLabels.Select(b => (long)b), Labels(train));
        Assert.Equal(w.TestPixels, Pixels(test));
        Assert.Equal(w.TestLabels.Select(b => (long)b), Labels(test));
        Assert.Equal(names, train.Names());
        // Channel layout: pixel (c, y, x) of image i is byte 1 + c*1024 + y*32 + x of record i.
        Assert.Equal(w.TrainPixels[5 * 3072 + 2 * 1024 + 7 * 32 + 9], train.Images[5, 2, 7, 9].item<byte>());
    }

    [Fact]
    public void Cifar10WithoutMetaUsesOfficialNamesAndFindsTheSubfolder()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Sub(Cifar10Loader.FolderName), new Random(3), gz: false);
        using var train = Cifar10Loader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal(12, train.Count);
        Assert.Equal(Cifar10Loader.DefaultClassNames, train.Names());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cifar100LoadsCoarseAsClassAndFineAsSubclass(bool gz)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var rng = new Random(gz ? 4 : 5);
        foreach (var (file, n) in new[] { ("train.bin", 11), ("test.bin", 6) })
        {
            var labels = Enumerable.Range(0, n).Select(_ => new[] { (byte)rng.Next(20), (byte)rng.Next(100) }).ToArray();
            labels[0] = new byte[] { 19, 99 }; // the largest legal values
            var pixels = DataTestFiles.RandomBytes(rng, n * 3072);
            DataTestFiles.Write(Path.Combine(tmp.Path, file), DataTestFiles.CifarRecords(labels, pixels), gz);
            using var ds = Cifar100Loader.Load(tmp.Path, file == "train.bin" ? DatasetSplit.Train : DatasetSplit.Test);
            Assert.Equal(new long[] { n, 3, 32, 32 }, ds.Images.shape);
            Assert.Equal(pixels, Pixels(ds));
            Assert.Equal(labels.Select(l => (long)l[0]), Labels(ds, LabelKeys.Class));
            Assert.Equal(labels.Select(l => (long)l[1]), Labels(ds, LabelKeys.Subclass));
            Assert.Equal(20, ds.NumClasses(LabelKeys.Class));
            Assert.Equal(100, ds.NumClasses(LabelKeys.Subclass));
            Assert.Equal("vehicles_2", ds.Names(LabelKeys.Class)[19]);
            Assert.Equal("worm", ds.Names(LabelKeys.Subclass)[99]);
        }
    }

    [Fact]
    public void Cifar100ReadsLabelNameFiles()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub(Cifar100Loader.FolderName);
        DataTestFiles.Write(Path.Combine(dir, "train.bin"), DataTestFiles.CifarRecords(new[] { new byte[] { 1, 2 } }, new byte[3072]), false);
        var coarse = Enumerable.Range(0, 20).Select(i => $"c{i}").ToArray();
        var fine = Enumerable.Range(0, 100).Select(i => $"f{i}").ToArray();
        File.WriteAllLines(Path.Combine(dir, "coarse_label_names.txt"), coarse);
        DataTestFiles.Write(Path.Combine(dir, "fine_label_names.txt"), System.Text.Encoding.UTF8.GetBytes(string.Join("\n", fine)), gz: true);
        using var ds = Cifar100Loader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal(coarse, ds.Names(LabelKeys.Class));
        Assert.Equal(fine, ds.Names(LabelKeys.Subclass));
    }

    [Theory]
    [InlineData(false, MnistVariant.Mnist)]
    [InlineData(true, MnistVariant.Mnist)]
    [InlineData(true, MnistVariant.FashionMnist)]
    public void MnistIdxLoadsWhatWasWritten(bool gz, MnistVariant variant)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub(variant == MnistVariant.Mnist ? "mnist" : "fashion-mnist");
        var w = DataTestFiles.WriteMnist(dir, new Random(gz ? 6 : 7), gz, rows: 28, cols: 28);
        using var train = MnistLoader.Load(tmp.Path, DatasetSplit.Train, variant);
        using var test = MnistLoader.Load(tmp.Path, DatasetSplit.Test, variant);
        Assert.Equal(new long[] { 9, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 6, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(w.TrainPixels, Pixels(train));
        Assert.Equal(w.TestPixels, Pixels(test));
        Assert.Equal(w.TrainLabels.Select(b => (long)b), Labels(train));
        Assert.Equal(w.TestLabels.Select(b => (long)b), Labels(test));
        Assert.Equal(variant == MnistVariant.Mnist ? "7" : "Sneaker", train.Names()[7]);
        // Row-major: pixel (y, x) of image i is data byte i*784 + y*28 + x.
        Assert.Equal(w.TrainPixels[3 * 784 + 20 * 28 + 5], train.Images[3, 0, 20, 5].item<byte>());
    }

    [Fact]
    public void IdxKeepsNonSquareImageSizes()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteMnist(tmp.Path, new Random(8), gz: false, nTrain: 3, nTest: 2, rows: 5, cols: 7);
        using var train = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal(new long[] { 3, 1, 5, 7 }, train.Images.shape);
        Assert.Equal(w.TrainPixels, Pixels(train));
    }

    [Fact]
    public void LoadedTensorsDoNotAliasTheReadBuffers()
    {
        // The dataset must own its memory: loading twice gives equal but independent tensors.
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(9), gz: false);
        using var a = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        using var b = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        var before = b.Images[0, 0, 0, 0].item<byte>();
        a.Images[0, 0, 0, 0] = TorchSharp.torch.tensor((byte)(before ^ 0xff));
        Assert.Equal(before, b.Images[0, 0, 0, 0].item<byte>());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal((byte)(before ^ 0xff), a.Images[0, 0, 0, 0].item<byte>());
    }
}
