namespace WhichFeatures.Data;

/// <summary>
/// Loads MNIST and Fashion-MNIST from their official IDX files (<c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>; each plain
/// or .gz). Images become uint8 [N, 1, H, W]; <see cref="LabelKeys.Class"/> is the digit / clothing class.
/// </summary>
public static class MnistLoader
{
    /// <summary>MNIST class names.</summary>
    public static readonly IReadOnlyList<string> DigitNames = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Fashion-MNIST class names (official order).</summary>
    public static readonly IReadOnlyList<string> FashionNames =
        new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };

    /// <summary>The image file of a split (without .gz).</summary>
    public static string ImagesFile(DatasetSplit split) => split == DatasetSplit.Train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";

    /// <summary>The label file of a split (without .gz).</summary>
    public static string LabelsFile(DatasetSplit split) => split == DatasetSplit.Train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";

    /// <summary>The subfolders looked in under the data folder (ours first, then torchvision's layout).</summary>
    public static IReadOnlyList<string> Subfolders(MnistVariant variant) => variant == MnistVariant.Mnist
        ? new[] { "mnist", "MNIST/raw", "MNIST" }
        : new[] { "fashion-mnist", "FashionMNIST/raw", "FashionMNIST", "fashion_mnist" };

    /// <summary>The folder holding the IDX files: <paramref name="dataDir"/> itself or one of <see cref="Subfolders"/>.</summary>
    public static string ResolveFolder(string dataDir, MnistVariant variant) =>
        DatasetFolders.Resolve(dataDir, variant == MnistVariant.Mnist ? "MNIST" : "Fashion-MNIST", Subfolders(variant),
            new[] { ImagesFile(DatasetSplit.Train), ImagesFile(DatasetSplit.Test) });

    /// <summary>Loads one split.</summary>
    /// <exception cref="DatasetFormatException">A file is missing, unreadable, not IDX, truncated, the counts differ or a label is out of range.</exception>
    public static ImageDataset Load(string dataDir, DatasetSplit split, MnistVariant variant = MnistVariant.Mnist)
    {
        var dir = ResolveFolder(dataDir, variant);
        var names = variant == MnistVariant.Mnist ? DigitNames : FashionNames;
        var imagesPath = DatasetFiles.Find(dir, ImagesFile(split));
        var labelsPath = DatasetFiles.Find(dir, LabelsFile(split));
        var (dims, pixels) = IdxFile.Read(imagesPath, 3, "images");
        var (labelDims, labelBytes) = IdxFile.Read(labelsPath, 1, "labels");
        if (labelDims[0] != dims[0])
            throw new DatasetFormatException(labelsPath, "IDX dimension 0 (label count)", $"expected {dims[0]} labels to match {Path.GetFileName(imagesPath)}, found {labelDims[0]}");
        var labels = new long[labelBytes.Count];
        for (int i = 0; i < labelBytes.Count; i++)
        {
            if (labelBytes[i] >= names.Count)
                throw new DatasetFormatException(labelsPath, $"label {i} (byte offset {8 + i})", $"label {labelBytes[i]} out of range; expected 0 to {names.Count - 1}");
            labels[i] = labelBytes[i];
        }
        var prefix = variant == MnistVariant.Mnist ? "mnist" : "fashion-mnist";
        return new ImageDataset($"{prefix}/{(split == DatasetSplit.Train ? "train" : "test")}",
            TensorBytes.FromBytes(pixels, dims[0], 1, dims[1], dims[2]),                              // [N, 1, H, W]
            new Dictionary<string, TorchSharp.torch.Tensor> { [LabelKeys.Class] = TorchSharp.torch.tensor(labels) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = names });
    }
}
