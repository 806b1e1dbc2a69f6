namespace WhichFeatures.Data;

/// <summary>
/// Loads CIFAR-10 in its official binary format (the "binary version" tarball): <c>data_batch_1.bin</c> ...
/// <c>data_batch_5.bin</c> (train), <c>test_batch.bin</c> (test), <c>batches.meta.txt</c> (names), each file
/// plain or .gz. Any non-empty subset of the training batches is accepted (e.g. only data_batch_1).
/// Records: 1 label byte (0..9) + 3072 pixel bytes.
/// </summary>
public static class Cifar10Loader
{
    /// <summary>The folder the official tarball unpacks to.</summary>
    public const string FolderName = "cifar-10-batches-bin";

    /// <summary>The class names used when batches.meta.txt is absent.</summary>
    public static readonly IReadOnlyList<string> DefaultClassNames =
        new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    /// <summary>The training batch files, in order.</summary>
    public static readonly IReadOnlyList<string> TrainFiles = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    /// <summary>The test batch file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>The label-names file.</summary>
    public const string MetaFile = "batches.meta.txt";

    /// <summary>
    /// The folder holding the batch files: <paramref name="dataDir"/> itself if it has them, else
    /// <paramref name="dataDir"/>/cifar-10-batches-bin.
    /// </summary>
    public static string ResolveFolder(string dataDir) =>
        DatasetFolders.Resolve(dataDir, "CIFAR-10", new[] { FolderName, "cifar10", "cifar-10" }, TrainFiles.Append(TestFile).ToArray());

    /// <summary>Loads one split from <paramref name="dataDir"/> (see <see cref="ResolveFolder"/>).</summary>
    /// <exception cref="DatasetFormatException">A file is missing, unreadable, truncated or has a label out of range.</exception>
    public static ImageDataset Load(string dataDir, DatasetSplit split)
    {
        var dir = ResolveFolder(dataDir);
        var names = ReadClassNames(dir);
        string[] paths;
        if (split == DatasetSplit.Train)
        {
            paths = TrainFiles.Select(f => DatasetFiles.TryFind(dir, f)).OfType<string>().ToArray();
            if (paths.Length == 0)
                throw new DatasetFormatException(Path.Combine(dir, "data_batch_N.bin"), "file",
                    $"no training batch found; looked for {string.Join(", ", TrainFiles.SelectMany(f => DatasetFiles.Candidates(dir, f)).Select(Path.GetFileName))} in {dir}");
        }
        else
        {
            paths = new[] { DatasetFiles.Find(dir, TestFile) };
        }
        var files = paths.Select(p => (p, DatasetFiles.ReadAll(p))).ToArray();
        var (pixels, labels) = CifarRecords.Parse(files, new[] { ("label", names.Count) });
        long n = labels[0].Length;
        var splitName = split == DatasetSplit.Train ? "train" : "test";
        return new ImageDataset($"cifar10/{splitName}",
            CifarRecords.ImageTensor(pixels, n, 3, CifarRecords.Side, CifarRecords.Side),
            new Dictionary<string, TorchSharp.torch.Tensor> { [LabelKeys.Class] = CifarRecords.LabelTensor(labels[0]) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = names });
    }

    /// <summary>The 10 names from batches.meta.txt (plain or .gz) when present, else <see cref="DefaultClassNames"/>.</summary>
    public static IReadOnlyList<string> ReadClassNames(string dir)
    {
        var path = DatasetFiles.TryFind(dir, MetaFile);
        if (path is null) return DefaultClassNames;
        var lines = DatasetFiles.ReadNonEmptyLines(path);
        if (lines.Length != 10)
            throw new DatasetFormatException(path, "class names", $"expected 10 non-empty lines (one class name each), found {lines.Length}");
        return lines;
    }
}
