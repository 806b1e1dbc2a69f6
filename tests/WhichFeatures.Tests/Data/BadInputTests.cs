using System.Buffers.Binary;
using WhichFeatures.Core;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>The bad-input list of docs/robustness.md, "Dataset files": each case gives a DatasetFormatException naming the file and what was expected.</summary>
[Collection("torch")]
public class BadInputTests
{
    private static DatasetFormatException Fails(Func<ImageDataset> load, string fileName, params string[] messageParts)
    {
        var e = Assert.Throws<DatasetFormatException>(() => { using var _ = load(); });
        Assert.IsAssignableFrom<UserInputException>(e);
        Assert.Contains(fileName, e.Message);
        Assert.Contains(fileName, e.File);
        foreach (var part in messageParts) Assert.Contains(part, e.Message, StringComparison.OrdinalIgnoreCase);
        return e;
    }

    private static string Cifar(TempDir tmp, bool gz) { DataTestFiles.WriteCifar10(tmp.Path, new Random(11), gz); return tmp.Path; }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CifarSizeNotAMultipleOfTheRecord(bool gz)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var bytes = DataTestFiles.CifarRecords(new[] { new byte[] { 1 }, new byte[] { 2 } }, new byte[2 * 3072]);
        DataTestFiles.Write(Path.Combine(tmp.Path, "test_batch.bin"), bytes.AsSpan(0, bytes.Length - 100).ToArray(), gz);
        Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "test_batch.bin", "multiple of the 3073-byte record");
    }

    [Fact]
    public void TruncatedGzipIsDetected()
    {
        // Cut inside the compressed stream: .NET alone would return short data silently.
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Path;
        DataTestFiles.WriteCifar10(dir, new Random(12), gz: true);
        var path = Path.Combine(dir, "test_batch.bin.gz");
        var gz = File.ReadAllBytes(path);
        foreach (var cut in new[] { gz.Length - 1, gz.Length - 4, gz.Length - 8, gz.Length / 2 })
        {
            File.WriteAllBytes(path, gz.AsSpan(0, cut).ToArray());
            Fails(() => Cifar10Loader.Load(dir, DatasetSplit.Test), "test_batch.bin.gz", "gzip");
        }
    }

    [Fact]
    public void GzipCorruptMidway()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(13), gz: true);
        var path = Path.Combine(tmp.Path, "train-images-idx3-ubyte.gz");
        var gz = File.ReadAllBytes(path);
        for (int i = gz.Length / 2; i < gz.Length / 2 + 16; i++) gz[i] ^= 0xA5;
        File.WriteAllBytes(path, gz);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte.gz", "gzip");
    }

    [Theory]
    [InlineData("test_batch.bin", false)]
    [InlineData("test_batch.bin", true)]
    public void EmptyCifarFile(string name, bool gz)
    {
        using var tmp = DataTestFiles.NewTempDir();
        File.WriteAllBytes(Path.Combine(tmp.Path, gz ? name + ".gz" : name), Array.Empty<byte>());
        Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), name, "empty");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyIdxFile(bool gz)
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(14), gz);
        var name = "train-labels-idx1-ubyte" + (gz ? ".gz" : "");
        File.WriteAllBytes(Path.Combine(tmp.Path, name), Array.Empty<byte>());
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), name, "empty");
        if (gz)
        {
            // A valid gzip member holding nothing (as `gzip < /dev/null` writes): the IDX check reports it.
            var emptyMember = new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
            File.WriteAllBytes(Path.Combine(tmp.Path, name), emptyMember);
            Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), name, "IDX magic", "0 bytes");
        }
    }

    [Fact]
    public void WrongIdxMagic()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(15), gz: false);
        var path = Path.Combine(tmp.Path, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(path);
        bytes[2] = 0x0D; // float data
        File.WriteAllBytes(path, bytes);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX magic", "00 00 08 03", "00 00 0d 03");
        // Swapped files: a label file (1 dimension) where images are expected.
        File.Copy(Path.Combine(tmp.Path, "train-labels-idx1-ubyte"), path, overwrite: true);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX magic", "00 00 08 01");
    }

    [Fact]
    public void WrongIdxDimensions()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(16), gz: false);
        var path = Path.Combine(tmp.Path, "train-images-idx3-ubyte");
        var good = File.ReadAllBytes(path);

        var bytes = (byte[])good.Clone();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 29); // rows 28 -> 29: more data promised than present
        File.WriteAllBytes(path, bytes);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX data size", "truncated");

        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 27); // fewer than present
        File.WriteAllBytes(path, bytes);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX data size", "extra");

        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), int.MaxValue); // absurd count: no huge allocation, no hang
        File.WriteAllBytes(path, bytes);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX");

        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), -3);
        File.WriteAllBytes(path, bytes);
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-images-idx3-ubyte", "IDX dimension 0", "positive");

        // Label count differs from the image count.
        File.WriteAllBytes(path, good);
        var labels = Path.Combine(tmp.Path, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, DataTestFiles.Idx(new[] { 8 }, new byte[8]));
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train), "train-labels-idx1-ubyte", "expected 9 labels");
    }

    [Fact]
    public void LabelsOutOfRange()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var cifar10 = tmp.Sub("c10");
        DataTestFiles.Write(Path.Combine(cifar10, "test_batch.bin"),
            DataTestFiles.CifarRecords(new[] { new byte[] { 3 }, new byte[] { 10 } }, new byte[2 * 3072]), false);
        Fails(() => Cifar10Loader.Load(cifar10, DatasetSplit.Test), "test_batch.bin", "record 1", "label 10 out of range", "0 to 9");

        var cifar100 = tmp.Sub("c100");
        DataTestFiles.Write(Path.Combine(cifar100, "train.bin"), DataTestFiles.CifarRecords(new[] { new byte[] { 20, 5 } }, new byte[3072]), true);
        Fails(() => Cifar100Loader.Load(cifar100, DatasetSplit.Train), "train.bin.gz", "coarse label", "0 to 19");
        DataTestFiles.Write(Path.Combine(cifar100, "test.bin"), DataTestFiles.CifarRecords(new[] { new byte[] { 19, 100 } }, new byte[3072]), false);
        Fails(() => Cifar100Loader.Load(cifar100, DatasetSplit.Test), "test.bin", "fine label", "0 to 99");

        var mnist = tmp.Sub("m");
        DataTestFiles.WriteMnist(mnist, new Random(17), gz: false);
        DataTestFiles.Write(Path.Combine(mnist, "train-labels-idx1-ubyte"), DataTestFiles.Idx(new[] { 9 }, new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 255 }), false);
        Fails(() => MnistLoader.Load(mnist, DatasetSplit.Train), "train-labels-idx1-ubyte", "label 255 out of range");
    }

    [Fact]
    public void MissingFilesListWhatWasLookedFor()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(18), gz: false);
        File.Delete(Path.Combine(tmp.Path, "test_batch.bin"));
        var e = Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "test_batch.bin", "missing", "test_batch.bin.gz");

        DataTestFiles.WriteMnist(tmp.Path, new Random(19), gz: false);
        File.Delete(Path.Combine(tmp.Path, "t10k-labels-idx1-ubyte.gz"));
        Fails(() => MnistLoader.Load(tmp.Path, DatasetSplit.Test), "t10k-labels-idx1-ubyte", "t10k-labels-idx1-ubyte.gz");

        // Nothing at all: the folders and files looked for are listed.
        using var empty = DataTestFiles.NewTempDir();
        Fails(() => Cifar10Loader.Load(empty.Path, DatasetSplit.Train), empty.Path, "cifar-10-batches-bin", "data_batch_1.bin");
        Fails(() => Cifar100Loader.Load(Path.Combine(empty.Path, "nope"), DatasetSplit.Train), "nope", "does not exist");
    }

    [Fact]
    public void DirectoryWhereAFileIsExpected()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(20), gz: false);
        File.Delete(Path.Combine(tmp.Path, "test_batch.bin"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "test_batch.bin"));
        Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "test_batch.bin", "is a directory");
        // And a file where the data folder is expected.
        var file = Path.Combine(tmp.Path, "data_batch_1.bin");
        Fails(() => Cifar10Loader.Load(file, DatasetSplit.Train), "data_batch_1.bin", "is a file");
    }

    [SkippableFact]
    public void UnreadableFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "uses Linux file modes and /proc");
        if (!OperatingSystem.IsLinux()) return;
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(21), gz: false);
        var path = Path.Combine(tmp.Path, "test_batch.bin");
        if (Environment.UserName != "root")
        {
            File.SetUnixFileMode(path, UnixFileMode.None);
            try { Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "test_batch.bin", "not readable"); }
            finally { File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); }
        }
        else
        {
            // root reads files whatever their mode: a link to /proc/self/mem fails with an I/O error at offset 0 instead.
            File.Delete(path);
            File.CreateSymbolicLink(path, "/proc/self/mem");
            Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "test_batch.bin", "could not be read");
        }
    }

    [Fact]
    public void WrongNumberOfClassNames()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(22), gz: false);
        File.WriteAllText(Path.Combine(tmp.Path, "batches.meta.txt"), "a\nb\nc\n");
        Fails(() => Cifar10Loader.Load(tmp.Path, DatasetSplit.Test), "batches.meta.txt", "expected 10");
    }
}
