namespace WhichFeatures.Data;

/// <summary>How <see cref="DatasetRegistry.Load"/> derives the dataset it returns. All optional.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>The dataset's built-in superclasses (CIFAR-10: vehicles / animals; MNIST: digits 0-4 / 5-9): class = superclass, subclass = the original class.</summary>
    public bool Superclasses { get; init; }

    /// <summary>A JSON superclass map (superclass name -> list of class ids) applied to the class label; see <see cref="SuperclassMap"/>.</summary>
    public string? SuperclassMapFile { get; init; }

    /// <summary>k RandBit channels (0 = none); see <see cref="RandBit"/>.</summary>
    public int RandBits { get; init; }

    /// <summary>Where the RandBit bits come from.</summary>
    public RandBitSource RandBitSource { get; init; } = RandBitSource.ImageHash;

    /// <summary>Seed for subsets, seeded RandBit bits and the digit/background pairing.</summary>
    public long Seed { get; init; }

    /// <summary>Keep this many training examples (stratified by class, seeded); null = all.</summary>
    public long? TrainSize { get; init; }

    /// <summary>Keep this many test examples (stratified by class, seeded); null = all.</summary>
    public long? TestSize { get; init; }

    /// <summary>
    /// Which test images the test split holds, applied right after it is loaded (before superclasses and
    /// <see cref="TestSize"/>, which then subsets it): all of them, round 3's fresh subset or every other image
    /// (<see cref="Round3TestSubset"/>; MNIST, CIFAR-10 and digits on backgrounds only). Not with <see cref="ValidationSize"/>.
    /// </summary>
    public TestSubsetKind TestSubset { get; init; }

    /// <summary>
    /// Carve this many examples (stratified, drawn with the fixed <see cref="Core.Seeds.ValidationCarve"/>) out of the
    /// training split and return them in place of the test split, which is then not read; the training split is the
    /// rest. TrainSize and TestSize then subset the rest and the carved part. Digits on backgrounds carves the MNIST
    /// training digits and, as many, CIFAR-10 training backgrounds for them. null = the real test split.
    /// </summary>
    public long? ValidationSize { get; init; }

    /// <summary>Digits on backgrounds: how the digit is blended.</summary>
    public DigitBlend DigitBlend { get; init; } = DigitBlend.Max;

    /// <summary>Marked pairs: the share of images whose mark names their own pair (<see cref="MarkedPairs.DefaultAgreement"/> unless set).</summary>
    public double MarkAgreement { get; init; } = MarkedPairs.DefaultAgreement;

    /// <summary>Digits on backgrounds: the folder holding CIFAR-10 (default: the data folder given to Load).</summary>
    public string? BackgroundDataDir { get; init; }
}
