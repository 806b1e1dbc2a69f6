using System.Security.Cryptography;

namespace WhichFeatures.Data;

/// <summary>Reports what a loaded dataset holds (<c>data verify</c> / <c>data inspect</c>): counts, checksums, subset notes.</summary>
public static class DatasetInspector
{
    /// <summary>The sizes of the official releases (train, test), to flag subsets.</summary>
    public static IReadOnlyDictionary<string, (long Train, long Test)> OfficialSizes { get; } = new Dictionary<string, (long, long)>
    {
        [DatasetRegistry.Cifar10] = (50000, 10000),
        [DatasetRegistry.Cifar100] = (50000, 10000),
        [DatasetRegistry.Mnist] = (60000, 10000),
        [DatasetRegistry.FashionMnist] = (60000, 10000),
    };

    /// <summary>The report for datasets already loaded from <paramref name="dataDir"/>.</summary>
    public static DatasetReport Summarise(string name, string dataDir, DatasetLoadOptions? options, ImageDataset train, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var canonical = DatasetRegistry.Canonical(name);
        var folders = Folders(canonical, dataDir, options);
        var files = folders.SelectMany(Checksums).ToArray();
        var notes = new List<string>();
        if (OfficialSizes.TryGetValue(canonical, out var official) && options?.TrainSize is null && options?.TestSize is null)
        {
            if (train.Count != official.Train) notes.Add($"train has {train.Count} of the {official.Train} examples of the official release (a subset)");
            if (test.Count != official.Test) notes.Add($"test has {test.Count} of the {official.Test} examples of the official release (a subset)");
        }
        foreach (var f in files.Where(f => f.MatchesPublished == false))
            notes.Add($"{Path.GetFileName(f.Path)} differs from the published download (re-compressed or modified copy); its content loaded without error");
        var empty = train.CountsPerClass().Select((c, i) => (c, i)).Where(x => x.c == 0).Select(x => train.Names()[x.i]).ToArray();
        if (empty.Length > 0) notes.Add($"train has no examples of: {string.Join(", ", empty)}");
        return new DatasetReport(canonical, folders, new[] { SplitSummary.Of("train", train), SplitSummary.Of("test", test) }, files, notes);
    }

    /// <summary>The folders a dataset's files are read from.</summary>
    public static IReadOnlyList<string> Folders(string name, string dataDir, DatasetLoadOptions? options = null) => DatasetRegistry.Canonical(name) switch
    {
        DatasetRegistry.Cifar10 or DatasetRegistry.Cifar10Pairs => new[] { Cifar10Loader.ResolveFolder(dataDir) },
        DatasetRegistry.Cifar100 => new[] { Cifar100Loader.ResolveFolder(dataDir) },
        DatasetRegistry.Mnist => new[] { MnistLoader.ResolveFolder(dataDir, MnistVariant.Mnist) },
        DatasetRegistry.FashionMnist => new[] { MnistLoader.ResolveFolder(dataDir, MnistVariant.FashionMnist) },
        _ => new[] { MnistLoader.ResolveFolder(dataDir, MnistVariant.Mnist), Cifar10Loader.ResolveFolder(options?.BackgroundDataDir ?? dataDir) },
    };

    /// <summary>Size and MD5 of every file directly in <paramref name="folder"/>, with the published MD5 where the catalog lists the name.</summary>
    public static IReadOnlyList<FileChecksum> Checksums(string folder)
    {
        var result = new List<FileChecksum>();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            try
            {
                using var stream = File.OpenRead(path);
                var md5 = Convert.ToHexStringLower(MD5.HashData(stream));
                // A published MD5 applies only to the catalog entry whose folder this is (MNIST and Fashion-MNIST share file names).
                var published = DatasetCatalog.FindByFileName(Path.GetFileName(path))
                    .Where(x => string.Equals(x.Entry.FolderName, Path.GetFileName(folder), StringComparison.OrdinalIgnoreCase))
                    .Select(x => x.Resource.Md5).FirstOrDefault();
                result.Add(new FileChecksum(path, stream.Length, md5, published));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DatasetFormatException(path, "file", $"could not be read for its checksum ({e.Message})", e);
            }
        }
        return result;
    }
}
