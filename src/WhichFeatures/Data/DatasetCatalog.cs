using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// The official download locations and published checksums. CIFAR: the binary tarballs and MD5s on
/// Krizhevsky's CIFAR page (also in torchvision). MNIST / Fashion-MNIST: the four IDX .gz files with the MD5s
/// in torchvision's mnist.py (MNIST served from the ossci-datasets mirror first, as torchvision does).
/// </summary>
public static class DatasetCatalog
{
    private static readonly string[] MnistMirrors = { "https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/" };
    private static readonly string[] FashionMirrors = { "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/" };

    private static DatasetResource[] Idx(string[] mirrors, params (string File, string Md5)[] files) =>
        files.Select(f => new DatasetResource(f.File, mirrors.Select(m => m + f.File).ToArray(), f.Md5, IsArchive: false)).ToArray();

    private static readonly string[] IdxFiles =
        { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };

    /// <summary>Every downloadable dataset.</summary>
    public static IReadOnlyList<CatalogEntry> Entries { get; } = new[]
    {
        new CatalogEntry(DatasetRegistry.Cifar10, Cifar10Loader.FolderName,
            new[] { new DatasetResource("cifar-10-binary.tar.gz", new[] { "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz" }, "c32a1d4ab5d03f1284b67883e8d87530", IsArchive: true) },
            ArchiveFolder: "cifar-10-batches-bin",
            RequiredFiles: new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin", "batches.meta.txt" },
            Source: "https://www.cs.toronto.edu/~kriz/cifar.html"),
        new CatalogEntry(DatasetRegistry.Cifar100, Cifar100Loader.FolderName,
            new[] { new DatasetResource("cifar-100-binary.tar.gz", new[] { "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz" }, "03b5dce01913d631647c71ecec9e9cb8", IsArchive: true) },
            ArchiveFolder: "cifar-100-binary",
            RequiredFiles: new[] { "train.bin", "test.bin", "coarse_label_names.txt", "fine_label_names.txt" },
            Source: "https://www.cs.toronto.edu/~kriz/cifar.html"),
        new CatalogEntry(DatasetRegistry.Mnist, "mnist",
            Idx(MnistMirrors,
                ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")),
            ArchiveFolder: null, RequiredFiles: IdxFiles, Source: "torchvision/datasets/mnist.py (MNIST.resources)"),
        new CatalogEntry(DatasetRegistry.FashionMnist, "fashion-mnist",
            Idx(FashionMirrors,
                ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")),
            ArchiveFolder: null, RequiredFiles: IdxFiles, Source: "torchvision/datasets/mnist.py (FashionMNIST.resources)"),
    };

    /// <summary>The entries needed for dataset <paramref name="name"/>: one, or for digits-on-backgrounds and marked-pairs MNIST and CIFAR-10, for cifar10-pairs CIFAR-10.</summary>
    public static IReadOnlyList<CatalogEntry> For(string name)
    {
        var canonical = DatasetRegistry.Canonical(name);
        return canonical is DatasetRegistry.DigitsOnBackgrounds or DatasetRegistry.MarkedPairs
            ? new[] { Get(DatasetRegistry.Mnist), Get(DatasetRegistry.Cifar10) }
            : new[] { Get(DatasetRegistry.ImageSource(canonical)) };
    }

    /// <summary>The entry for a downloadable dataset name.</summary>
    public static CatalogEntry Get(string name)
    {
        var canonical = DatasetRegistry.Canonical(name);
        return Entries.FirstOrDefault(e => e.Name == canonical)
            ?? throw new UserInputException($"dataset \"{name}\" is derived and has no download of its own; download: {string.Join(", ", Entries.Select(e => e.Name))}");
    }

    /// <summary>The published MD5 of a file name, if any catalog entry lists it (used by <c>data verify</c>).</summary>
    public static IEnumerable<(CatalogEntry Entry, DatasetResource Resource)> FindByFileName(string fileName) =>
        from e in Entries from r in e.Resources where string.Equals(r.FileName, fileName, StringComparison.Ordinal) select (e, r);
}
