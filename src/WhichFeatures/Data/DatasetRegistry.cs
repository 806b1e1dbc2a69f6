using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>Loads a dataset by name with its derived variants, returning the (train, test) pair.</summary>
public static class DatasetRegistry
{
    /// <summary>CIFAR-10 (10 classes, 32x32 colour).</summary>
    public const string Cifar10 = "cifar10";

    /// <summary>CIFAR-100 (class = 20 coarse, subclass = 100 fine).</summary>
    public const string Cifar100 = "cifar100";

    /// <summary>MNIST digits (28x28 grey).</summary>
    public const string Mnist = "mnist";

    /// <summary>Fashion-MNIST (28x28 grey).</summary>
    public const string FashionMnist = "fashion-mnist";

    /// <summary>MNIST digits blended on CIFAR-10 images (class = digit, background = CIFAR class).</summary>
    public const string DigitsOnBackgrounds = "digits-on-backgrounds";

    /// <summary>CIFAR-10 objects (subclass) in five pairs (class), each image marked with an MNIST digit naming its pair on most images (<see cref="Data.MarkedPairs"/>).</summary>
    public const string MarkedPairs = "marked-pairs";

    /// <summary>CIFAR-10 objects (subclass) in five pairs of unlike objects (class), unmarked (<see cref="Data.Cifar10Pairs"/>).</summary>
    public const string Cifar10Pairs = "cifar10-pairs";

    /// <summary>Every dataset name <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { Cifar10, Cifar100, Mnist, FashionMnist, DigitsOnBackgrounds, MarkedPairs, Cifar10Pairs };

    /// <summary>Whether <paramref name="name"/> (canonical) carries a subclass label of its own, so takes no superclass option: CIFAR-100 and the CIFAR-10 pairs, marked or not.</summary>
    public static bool HasOwnSubclasses(string name) => name is Cifar100 or MarkedPairs or Cifar10Pairs;

    /// <summary>The plain dataset whose images <paramref name="canonical"/> is made of: CIFAR-10 for the pairs, marked or not; the name itself otherwise (digits on backgrounds has two).</summary>
    public static string ImageSource(string canonical) => canonical is MarkedPairs or Cifar10Pairs ? Cifar10 : canonical;

    /// <summary>The canonical name for <paramref name="name"/> (case and common spellings accepted); unknown names are a user error listing the names.</summary>
    public static string Canonical(string name)
    {
        var key = (name ?? "").Trim().ToLowerInvariant().Replace('_', '-');
        return key switch
        {
            "cifar10" or "cifar-10" => Cifar10,
            "cifar100" or "cifar-100" => Cifar100,
            "mnist" => Mnist,
            "fashion-mnist" or "fashionmnist" or "fmnist" => FashionMnist,
            "digits-on-backgrounds" or "mnist-on-cifar10" or "digits-on-cifar10" => DigitsOnBackgrounds,
            "marked-pairs" or "cifar10-marked-pairs" => MarkedPairs,
            "cifar10-pairs" or "cifar-10-pairs" => Cifar10Pairs,
            _ => throw new UserInputException($"unknown dataset \"{name}\"; expected one of: {string.Join(", ", Names)}"),
        };
    }

    /// <summary>
    /// Loads the train and test splits of <paramref name="name"/> from <paramref name="dataDir"/> and derives
    /// what <paramref name="options"/> asks for, in this order: the test subset (<see cref="DatasetLoadOptions.TestSubset"/>),
    /// superclasses, subset (TrainSize / TestSize), RandBit. The caller owns (and disposes) both datasets.
    /// </summary>
    /// <exception cref="UserInputException">Unknown name, conflicting options, or a <see cref="DatasetFormatException"/> from the files.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string name, string dataDir, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        var canonical = Canonical(name);
        Validate(canonical, options);
        ImageDataset? train = null, test = null;
        try
        {
            if (canonical == DigitsOnBackgrounds)
            {
                (train, test) = LoadDigitsOnBackgrounds(dataDir, options);
            }
            else
            {
                // The pairs, marked or not, are CIFAR-10's images (and its round-3 subset or carves); marks are drawn per split.
                var source = ImageSource(canonical);
                train = LoadSplit(source, dataDir, DatasetSplit.Train);
                if (options.ValidationSize is { } nVal) (train, test) = CarveValidation(train, nVal);
                else if (HeldOutCarve.For(options.TestSubset) is { } carve) (train, test) = carve.Split(source, train);
                else
                {
                    test = LoadSplit(source, dataDir, DatasetSplit.Test);
                    test = Replace(test, Round3TestSubset.Select(options.TestSubset, source, test));
                }
                if (canonical == MarkedPairs) (train, test) = Mark(train, test, dataDir, options);
                var map = canonical == Cifar10Pairs ? Data.Cifar10Pairs.Map
                    : options.Superclasses ? SuperclassMap.BuiltIn(canonical)
                    : options.SuperclassMapFile is { } file ? SuperclassMap.FromJsonFile(file, train.Names()) : null;
                if (map is not null)
                {
                    train = Replace(train, map.Apply(train));
                    test = Replace(test, map.Apply(test));
                }
                if (options.TrainSize is { } nTrain) train = Replace(train, train.Take(nTrain, options.Seed));
                if (options.TestSize is { } nTest) test = Replace(test, test.Take(nTest, Seeds.TestSubset(options.Seed)));
            }
            if (options.RandBits > 0)
            {
                // Different seeds per split so seeded bits of the test images are not those of the first training images.
                train = Replace(train, RandBit.Apply(train, options.RandBits, options.RandBitSource, options.Seed));
                test = Replace(test, RandBit.Apply(test, options.RandBits, options.RandBitSource, Seeds.TestRandBits(options.Seed)));
            }
            return (train, test);
        }
        catch
        {
            train?.Dispose();
            test?.Dispose();
            throw;
        }
    }

    /// <summary>One split of a plain (not derived) dataset.</summary>
    public static ImageDataset LoadSplit(string name, string dataDir, DatasetSplit split) => Canonical(name) switch
    {
        Cifar10 => Cifar10Loader.Load(dataDir, split),
        Cifar100 => Cifar100Loader.Load(dataDir, split),
        Mnist => MnistLoader.Load(dataDir, split, MnistVariant.Mnist),
        FashionMnist => MnistLoader.Load(dataDir, split, MnistVariant.FashionMnist),
        var other => throw new UserInputException($"dataset \"{other}\" is derived; load it with DatasetRegistry.Load"),
    };

    private static void Validate(string name, DatasetLoadOptions o)
    {
        if (o.Superclasses && o.SuperclassMapFile is not null)
            throw new UserInputException("--superclasses and --superclass-map: give one or the other");
        if (name is MarkedPairs or Cifar10Pairs && (o.Superclasses || o.SuperclassMapFile is not null))
            throw new UserInputException($"{name}: superclasses are built in (class = object pair, subclass = CIFAR-10 object); give no superclass option");
        if (o.Superclasses && SuperclassMap.BuiltIn(name) is null)
            throw new UserInputException($"--superclasses: built-in splits exist for cifar10 (vehicles/animals) and mnist (0-4/5-9); for {name} give --superclass-map FILE" +
                (name == Cifar100 ? " (cifar100 already has class = coarse, subclass = fine)" : ""));
        if (name == DigitsOnBackgrounds && (o.Superclasses || o.SuperclassMapFile is not null))
            throw new UserInputException("digits-on-backgrounds: superclasses are not supported (class = digit, background = CIFAR-10 class)");
        if (!(o.MarkAgreement > 0 && o.MarkAgreement <= 1))
            throw new UserInputException($"mark agreement {o.MarkAgreement}: expected a share in (0, 1]");
        if (o.RandBits < 0 || o.RandBits > RandBit.MaxBits)
            throw new UserInputException($"--randbits {o.RandBits}: expected 0 (none) to {RandBit.MaxBits}");
        if (o.TrainSize is <= 0) throw new UserInputException($"--train-size {o.TrainSize}: expected a positive number of examples");
        if (o.TestSize is <= 0) throw new UserInputException($"--test-size {o.TestSize}: expected a positive number of examples");
        if (o.ValidationSize is <= 0) throw new UserInputException($"--validation-size {o.ValidationSize}: expected a positive number of examples");
        if (!Enum.IsDefined(o.TestSubset)) throw new ArgumentOutOfRangeException(nameof(o), o.TestSubset, "unknown test subset");
        if (o.TestSubset != TestSubsetKind.All && o.ValidationSize is not null)
            throw new UserInputException($"--validation-size and the test subset {o.TestSubset}: a validation run never reads the test split; give one.");
        if (o.TestSubset != TestSubsetKind.All && !Round3TestSubset.Covers(name))
            throw new UserInputException($"test subset {o.TestSubset}: defined for mnist, cifar10 and the datasets built from them (digits-on-backgrounds, marked-pairs, cifar10-pairs), not for {name}.");
    }

    /// <summary>
    /// Splits <paramref name="train"/> into (remainder, validation): <paramref name="n"/> examples stratified by the finest
    /// label, drawn with the fixed <see cref="Seeds.ValidationCarve"/>, and every other example. Disposes <paramref name="train"/>.
    /// </summary>
    private static (ImageDataset Remainder, ImageDataset Validation) CarveValidation(ImageDataset train, long n)
    {
        using (train)
        {
            if (n >= train.Count)
                throw new UserInputException($"--validation-size {n}: expected fewer than the {train.Count} training examples of {train.Name}");
            var key = train.Labels.ContainsKey(LabelKeys.Subclass) ? LabelKeys.Subclass : LabelKeys.Class;
            var carved = ImageDataset.TakeIndices(train.LabelValues(key), train.NumClasses(key), n, Seeds.ValidationCarve, stratified: true);
            return (train.Without(carved), train.Subset(carved));
        }
    }

    private static (ImageDataset Train, ImageDataset Test) LoadDigitsOnBackgrounds(string dataDir, DatasetLoadOptions o)
    {
        var bgDir = o.BackgroundDataDir ?? dataDir;
        var result = new ImageDataset?[2];
        // With a validation carve (or a round's carve) both parts come from the training files: the carved digits on carved
        // training backgrounds, the other digits on the other backgrounds, so no validation image shares its background
        // with a training image (as the test split's backgrounds are CIFAR-10 test images, unseen in training).
        (ImageDataset Remainder, ImageDataset Validation)? digitCarve = null, backgroundCarve = null;
        try
        {
            if (o.ValidationSize is { } nVal)
            {
                digitCarve = CarveValidation(MnistLoader.Load(dataDir, DatasetSplit.Train, MnistVariant.Mnist), nVal);
                backgroundCarve = CarveValidation(Cifar10Loader.Load(bgDir, DatasetSplit.Train), nVal);
            }
            else if (HeldOutCarve.For(o.TestSubset) is { } carve)
            {
                digitCarve = carve.Split(Mnist, MnistLoader.Load(dataDir, DatasetSplit.Train, MnistVariant.Mnist));
                backgroundCarve = carve.Split(Cifar10, Cifar10Loader.Load(bgDir, DatasetSplit.Train));
            }
            foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Test })
            {
                var size = split == DatasetSplit.Train ? o.TrainSize : o.TestSize;
                long seed = o.Seed + (split == DatasetSplit.Train ? 0 : 1);
                var digits = digitCarve is { } d ? (split == DatasetSplit.Train ? d.Remainder : d.Validation) : TestSubsetOf(MnistLoader.Load(dataDir, split, MnistVariant.Mnist), split, Mnist, o);
                var backgrounds = backgroundCarve is { } b ? (split == DatasetSplit.Train ? b.Remainder : b.Validation) : null;
                if (size is { } n) digits = Replace(digits, digits.Take(n, seed));
                using (digits)
                using (backgrounds ??= TestSubsetOf(Cifar10Loader.Load(bgDir, split), split, Cifar10, o))
                {
                    result[(int)split] = DigitsOnBackgroundsCreate(digits, backgrounds, seed, o.DigitBlend, split);
                }
            }
            return (result[0]!, result[1]!);
        }
        catch
        {
            foreach (var r in result) r?.Dispose();
            throw;
        }
        finally
        {
            // Parts already used were disposed above (disposing twice is a no-op); this frees the rest after a failure.
            foreach (var c in new[] { digitCarve, backgroundCarve })
                if (c is { } pair) { pair.Remainder.Dispose(); pair.Validation.Dispose(); }
        }
    }

    /// <summary>
    /// Marks both splits (<see cref="Data.MarkedPairs"/>): training images and carves of them (validation, a round's) with
    /// MNIST training digits, test images with MNIST test digits, each split's marks from its own fixed seed. Disposes
    /// the unmarked splits.
    /// </summary>
    private static (ImageDataset Train, ImageDataset Test) Mark(ImageDataset train, ImageDataset test, string dataDir, DatasetLoadOptions o)
    {
        ImageDataset? markedTrain = null;
        string? carve = o.ValidationSize is not null ? "validation" : HeldOutCarve.For(o.TestSubset)?.Name;
        bool validation = carve is not null;
        ImageDataset? trainDigits = null, testDigits = null;
        try
        {
            // A carve of the training images is marked with training digits too, so MNIST's training split is read once.
            trainDigits = MnistLoader.Load(dataDir, DatasetSplit.Train, MnistVariant.Mnist);
            testDigits = validation ? trainDigits : MnistLoader.Load(dataDir, DatasetSplit.Test, MnistVariant.Mnist);
            markedTrain = Data.MarkedPairs.Create(train, trainDigits, o.MarkAgreement, Seeds.MarkedPairs(testSplit: false), $"{MarkedPairs}/train");
            return (markedTrain, Data.MarkedPairs.Create(test, testDigits, o.MarkAgreement, Seeds.MarkedPairs(testSplit: true), $"{MarkedPairs}/{carve ?? "test"}"));
        }
        catch
        {
            markedTrain?.Dispose();
            throw;
        }
        finally
        {
            train.Dispose();
            test.Dispose();
            trainDigits?.Dispose();
            testDigits?.Dispose();   // disposing twice is a no-op
        }
    }

    /// <summary>The test split <paramref name="loaded"/> restricted to <see cref="DatasetLoadOptions.TestSubset"/> (a training split as it is); disposes what it replaces.</summary>
    private static ImageDataset TestSubsetOf(ImageDataset loaded, DatasetSplit split, string name, DatasetLoadOptions o)
    {
        if (split == DatasetSplit.Train) return loaded;
        try { return Replace(loaded, Round3TestSubset.Select(o.TestSubset, name, loaded)); }
        catch { loaded.Dispose(); throw; }
    }

    private static ImageDataset DigitsOnBackgroundsCreate(ImageDataset digits, ImageDataset backgrounds, long seed, DigitBlend blend, DatasetSplit split) =>
        Data.DigitsOnBackgrounds.Create(digits, backgrounds, seed, blend, $"{DigitsOnBackgrounds}/{(split == DatasetSplit.Train ? "train" : "test")}");

    /// <summary>Disposes <paramref name="old"/> and returns <paramref name="replacement"/> (for pipelines of copies).</summary>
    private static ImageDataset Replace(ImageDataset old, ImageDataset replacement)
    {
        if (!ReferenceEquals(old, replacement)) old.Dispose();
        return replacement;
    }
}
