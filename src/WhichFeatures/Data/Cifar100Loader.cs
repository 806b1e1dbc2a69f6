namespace WhichFeatures.Data;

/// <summary>
/// Loads CIFAR-100 in its official binary format: <c>train.bin</c> and <c>test.bin</c> (records of a coarse
/// label byte 0..19, a fine label byte 0..99, then 3072 pixel bytes), <c>coarse_label_names.txt</c> and
/// <c>fine_label_names.txt</c>; each file plain or .gz. Labels: <see cref="LabelKeys.Class"/> = coarse (20),
/// <see cref="LabelKeys.Subclass"/> = fine (100).
/// </summary>
public static class Cifar100Loader
{
    /// <summary>The folder the official tarball unpacks to.</summary>
    public const string FolderName = "cifar-100-binary";

    /// <summary>The training file.</summary>
    public const string TrainFile = "train.bin";

    /// <summary>The test file.</summary>
    public const string TestFile = "test.bin";

    /// <summary>The coarse label names file.</summary>
    public const string CoarseNamesFile = "coarse_label_names.txt";

    /// <summary>The fine label names file.</summary>
    public const string FineNamesFile = "fine_label_names.txt";

    /// <summary>The 20 coarse names used when coarse_label_names.txt is absent (official order).</summary>
    public static readonly IReadOnlyList<string> DefaultCoarseNames = new[]
    {
        "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables", "household_electrical_devices",
        "household_furniture", "insects", "large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
        "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals",
        "trees", "vehicles_1", "vehicles_2",
    };

    /// <summary>The 100 fine names used when fine_label_names.txt is absent (official, alphabetical order).</summary>
    public static readonly IReadOnlyList<string> DefaultFineNames = new[]
    {
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy",
        "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock",
        "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest",
        "fox", "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard",
        "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid",
        "otter", "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum",
        "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper",
        "snail", "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone",
        "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf",
        "woman", "worm",
    };

    /// <summary>The folder holding the files: <paramref name="dataDir"/> itself if it has them, else <paramref name="dataDir"/>/cifar-100-binary.</summary>
    public static string ResolveFolder(string dataDir) =>
        DatasetFolders.Resolve(dataDir, "CIFAR-100", new[] { FolderName, "cifar100", "cifar-100" }, new[] { TrainFile, TestFile });

    /// <summary>Loads one split from <paramref name="dataDir"/> (see <see cref="ResolveFolder"/>).</summary>
    /// <exception cref="DatasetFormatException">A file is missing, unreadable, truncated or has a label out of range.</exception>
    public static ImageDataset Load(string dataDir, DatasetSplit split)
    {
        var dir = ResolveFolder(dataDir);
        var coarse = ReadNames(dir, CoarseNamesFile, DefaultCoarseNames);
        var fine = ReadNames(dir, FineNamesFile, DefaultFineNames);
        var path = DatasetFiles.Find(dir, split == DatasetSplit.Train ? TrainFile : TestFile);
        var (pixels, labels) = CifarRecords.Parse(new[] { (path, DatasetFiles.ReadAll(path)) },
            new[] { ("coarse label", coarse.Count), ("fine label", fine.Count) });
        long n = labels[0].Length;
        return new ImageDataset($"cifar100/{(split == DatasetSplit.Train ? "train" : "test")}",
            CifarRecords.ImageTensor(pixels, n, 3, CifarRecords.Side, CifarRecords.Side),
            new Dictionary<string, TorchSharp.torch.Tensor>
            {
                [LabelKeys.Class] = CifarRecords.LabelTensor(labels[0]),
                [LabelKeys.Subclass] = CifarRecords.LabelTensor(labels[1]),
            },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = coarse, [LabelKeys.Subclass] = fine });
    }

    private static IReadOnlyList<string> ReadNames(string dir, string file, IReadOnlyList<string> defaults)
    {
        var path = DatasetFiles.TryFind(dir, file);
        if (path is null) return defaults;
        var lines = DatasetFiles.ReadNonEmptyLines(path);
        if (lines.Length != defaults.Count)
            throw new DatasetFormatException(path, "label names", $"expected {defaults.Count} non-empty lines (one name each), found {lines.Length}");
        return lines;
    }
}
