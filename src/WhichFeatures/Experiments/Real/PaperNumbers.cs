namespace WhichFeatures.Experiments.Real;

/// <summary>The numbers the paper's slides report for its real-data experiments (docs/paper.md §5), as fractions.</summary>
public static class PaperNumbers
{
    /// <summary>CIFAR10-RandBit downstream (class) accuracy by embedding size (protocol not stated in the slides).</summary>
    public static readonly IReadOnlyDictionary<int, double> RandBitAccuracyByEmbedding = new Dictionary<int, double>
    {
        [4] = 0.8673, [64] = 0.9682, [128] = 0.9765,
    };

    /// <summary>CIFAR100-RandBit subclass (fine) accuracy for SCL / UCL / joint.</summary>
    public static readonly IReadOnlyDictionary<string, double> Cifar100RandBitSubclass = new Dictionary<string, double>
    {
        ["scl"] = 0.281, ["ucl"] = 0.341, ["joint"] = 0.357,
    };

    /// <summary>CIFAR100-RandBit class (coarse) accuracy for SCL / UCL / joint.</summary>
    public static readonly IReadOnlyDictionary<string, double> Cifar100RandBitClass = new Dictionary<string, double>
    {
        ["scl"] = 0.611, ["ucl"] = 0.523, ["joint"] = 0.639,
    };

    /// <summary>Where the numbers come from.</summary>
    public const string Source = "Xue et al. ICML 2023 slides (docs/paper.md §5); ResNet-18-scale training, protocol not stated";
}
