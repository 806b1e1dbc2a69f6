using WhichFeatures.Core;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// Which rows and labels the data code picks: the stratified draw against a naive largest-remainder count, the
/// subset's edge cases, the validation carve on a dataset with subclasses, and where each split's RandBit bits come
/// from. Everything on tiny synthetic data or tiny files in the official formats.
/// </summary>
[Collection("torch")]
public class LabelHandlingTests
{
    /// <summary>
    /// The stratified quota of each class, from scratch: floor(n x share), then one more for each class in order of
    /// decreasing remainder (smaller class id first on equal remainders) until n are given out.
    /// </summary>
    private static long[] NaiveQuotas(long[] sizes, long n)
    {
        long total = sizes.Sum();
        var quota = new long[sizes.Length];
        var rest = new (double Remainder, int Class)[sizes.Length];
        for (int c = 0; c < sizes.Length; c++)
        {
            double exact = (double)n * sizes[c] / total;
            quota[c] = (long)Math.Floor(exact);
            rest[c] = (exact - quota[c], c);
        }
        long left = n - quota.Sum();
        for (int step = 0; step < left; step++)
        {
            int best = -1;
            for (int c = 0; c < sizes.Length; c++)
                if (best < 0 || rest[c].Remainder > rest[best].Remainder) best = c;
            quota[best]++;
            rest[best].Remainder = double.NegativeInfinity;
        }
        return quota;
    }

    private static long[] Classes(long[] sizes, int shuffleSeed)
    {
        var classes = sizes.SelectMany((s, c) => Enumerable.Repeat((long)c, (int)s)).ToArray();
        new SeededRandom(shuffleSeed).Shuffle(classes);
        return classes;
    }

    [Theory]
    // class sizes, n: cases where the largest share is not the largest remainder, where remainders tie, and where one class gets nothing
    [InlineData(new long[] { 60, 25, 15 }, 7)]    // 4.2 / 1.75 / 1.05: the leftover goes to class 1
    [InlineData(new long[] { 50, 50 }, 3)]        // 1.5 / 1.5: a tie, class 0 first
    [InlineData(new long[] { 10, 30, 30 }, 5)]    // 0.71 / 2.14 / 2.14
    [InlineData(new long[] { 3, 1, 96 }, 10)]     // 0.3 / 0.1 / 9.6
    [InlineData(new long[] { 7, 7, 7 }, 21)]      // everything
    public void Stratified_draw_gives_each_class_its_largest_remainder_quota_of_distinct_sorted_rows(long[] sizes, long n)
    {
        var classes = Classes(sizes, shuffleSeed: (int)n);
        var idx = ImageDataset.TakeIndices(classes, sizes.Length, n, seed: 5, stratified: true);
        var expected = NaiveQuotas(sizes, n);
        Assert.Equal(expected, Enumerable.Range(0, sizes.Length).Select(c => (long)idx.Count(i => classes[i] == c)));
        Assert.Equal(idx.Distinct().Count(), idx.Length);
        Assert.Equal(idx.Order(), idx);
    }

    [Fact]
    public void Uniform_draw_is_n_distinct_sorted_rows_that_depend_on_the_seed()
    {
        var classes = Classes([40, 40], shuffleSeed: 1);
        var a = ImageDataset.TakeIndices(classes, 2, 30, seed: 1, stratified: false);
        var b = ImageDataset.TakeIndices(classes, 2, 30, seed: 2, stratified: false);
        Assert.Equal(30, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.All(a, i => Assert.InRange(i, 0, 79));
        Assert.NotEqual(a, b);
        Assert.Equal(a, ImageDataset.TakeIndices(classes, 2, 30, seed: 1, stratified: false));
    }

    private static ImageDataset Synthetic(long[] classes, int numClasses, int seed = 0)
    {
        var pixels = DataTestFiles.RandomBytes(new Random(seed), classes.Length * 2 * 2);
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(classes) };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new NumberedLabelNames(numClasses) };
        return new ImageDataset("syn", tensor(pixels, [classes.Length, 1, 2, 2], dtype: ScalarType.Byte), labels, names);
    }

    [Fact]
    public void Taking_every_example_is_allowed_and_keeps_them_all_in_order()
    {
        var classes = Classes([6, 4], shuffleSeed: 3);
        using var ds = Synthetic(classes, 2);
        using var all = ds.Take(ds.Count, seed: 9);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), all.SourceIndices);
        Assert.Equal(classes, all.LabelValues());
        Assert.Contains("expected 1 to 10", Assert.Throws<UserInputException>(() => ds.Take(11, 9)).Message);
    }

    [Fact]
    public void Subset_keeps_labels_source_indices_and_extra_channels_with_their_rows_and_refuses_bad_indices()
    {
        var classes = Classes([5, 5], shuffleSeed: 4);
        using var plain = Synthetic(classes, 2, seed: 1);
        using var ds = RandBit.Apply(plain, 3, RandBitSource.SeededRandom, seed: 8);
        long[] picks = [9, 0, 4, 4];
        using var sub = ds.Subset(picks);
        Assert.Equal(picks.Select(i => classes[i]), sub.LabelValues());
        Assert.Equal(picks, sub.SourceIndices);
        var bits = ds.ExtraChannels!.data<float>().ToArray();
        Assert.Equal(picks.SelectMany(i => bits.Skip((int)i * 3).Take(3)), sub.ExtraChannels!.data<float>().ToArray());
        var values = ds.LabelValues(LabelKeys.RandBit);
        Assert.Equal(picks.Select(i => values[i]), sub.LabelValues(LabelKeys.RandBit));
        // Source indices compose: a subset of a subset names the original rows.
        using var subSub = sub.Subset([1, 0]);
        Assert.Equal([0L, 9L], subSub.SourceIndices);

        using var none = ds.Subset(Array.Empty<long>());
        Assert.Equal(0, none.Count);
        Assert.Contains("found [-1, 3]", Assert.Throws<UserInputException>(() => ds.Subset([3, -1])).Message);
        Assert.Contains("found [0, 10]", Assert.Throws<UserInputException>(() => ds.Subset([0, 10])).Message);
        using var twoD = tensor(new long[] { 0, 1, 2, 3 }).reshape(2, 2);
        Assert.Throws<ArgumentException>(() => ds.Subset(twoD));
        Assert.IsType<UserInputException>(Record.Exception(() => ds.Label("nope")));
    }

    [Fact]
    public void The_carve_of_a_dataset_with_subclasses_is_stratified_on_the_subclass()
    {
        // CIFAR-100 format: coarse = class (2 used), fine = subclass (4 used, 2 per coarse class, of unequal sizes).
        using var tmp = DataTestFiles.NewTempDir();
        var rng = new Random(77);
        int[] fineSizes = [24, 8, 12, 16];   // fine f belongs to coarse f / 2
        var records = fineSizes.SelectMany((s, f) => Enumerable.Repeat(new[] { (byte)(f / 2), (byte)f }, s)).OrderBy(_ => rng.Next()).ToArray();
        DataTestFiles.Write(Path.Combine(tmp.Path, Cifar100Loader.TrainFile), DataTestFiles.CifarRecords(records, DataTestFiles.RandomBytes(rng, records.Length * DataTestFiles.CifarPixels)), gz: false);
        const int nVal = 15;   // 6 / 2 / 3 / 4 of 24 / 8 / 12 / 16 (exact shares of 15/60)
        var (train, val) = DatasetRegistry.Load("cifar100", tmp.Path, new DatasetLoadOptions { ValidationSize = nVal });
        using (train) using (val)
        {
            var fineOfVal = val.LabelValues(LabelKeys.Subclass);
            Assert.Equal(NaiveQuotas(fineSizes.Select(s => (long)s).ToArray(), nVal), Enumerable.Range(0, 4).Select(f => (long)fineOfVal.Count(v => v == f)));
            Assert.Equal(val.SourceIndices.Select(i => (long)records[i][1]), fineOfVal);
            Assert.Equal(val.SourceIndices.Select(i => (long)records[i][0]), val.LabelValues(LabelKeys.Class));
            Assert.Equal(records.Length - nVal, train.Count);
        }
        // One example fewer than the split is a valid carve.
        var (rest, most) = DatasetRegistry.Load("cifar100", tmp.Path, new DatasetLoadOptions { ValidationSize = records.Length - 1 });
        using (rest) using (most) Assert.Equal(1, rest.Count);
    }

    [Fact]
    public void Seeded_randbit_bits_of_the_test_split_are_not_those_of_the_first_training_images()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(61), gz: false, n1: 10, n3: 10, nTest: 20);
        var o = new DatasetLoadOptions { RandBits = 8, RandBitSource = RandBitSource.SeededRandom, Seed = 4 };
        var (train, test) = DatasetRegistry.Load("cifar10", tmp.Path, o);
        using (train) using (test)
        {
            var tr = train.LabelValues(LabelKeys.RandBit);
            var te = test.LabelValues(LabelKeys.RandBit);
            Assert.True(tr.Zip(te).Count(p => p.First == p.Second) < 5, "test bits repeat the training bits");
            // Each split's bits come from its own seed only: the same seed gives the same bits.
            var (train2, test2) = DatasetRegistry.Load("cifar10", tmp.Path, o);
            using (train2) using (test2)
            {
                Assert.Equal(tr, train2.LabelValues(LabelKeys.RandBit));
                Assert.Equal(te, test2.LabelValues(LabelKeys.RandBit));
            }
        }
    }

    [Fact]
    public void Randbit_columns_are_the_bits_of_the_value_and_k_is_1_to_30()
    {
        var classes = Classes([4, 4], shuffleSeed: 6);
        using var plain = Synthetic(classes, 2, seed: 3);
        foreach (int k in new[] { 1, 5, RandBit.MaxBits })
        {
            using var ds = RandBit.Apply(plain, k, RandBitSource.SeededRandom, seed: 11);
            var values = ds.LabelValues(LabelKeys.RandBit);
            var bits = ds.ExtraChannels!.data<float>().ToArray();
            Assert.Equal(1 << k, ds.NumClasses(LabelKeys.RandBit));
            for (int i = 0; i < values.Length; i++)
            {
                Assert.InRange(values[i], 0, (1L << k) - 1);
                long fromBits = 0;
                for (int j = 0; j < k; j++)
                {
                    float b = bits[i * k + j];
                    Assert.True(b == 0f || b == 1f);
                    if (b == 1f) fromBits += 1L << j;
                }
                Assert.Equal(values[i], fromBits);
            }
            Assert.Equal(classes, ds.LabelValues());
        }
        Assert.Throws<UserInputException>(() => RandBit.Values(plain, 0));
        Assert.Throws<UserInputException>(() => RandBit.Values(plain, RandBit.MaxBits + 1));
        // At 30 bits the values use the high bits too (a mask one bit short would never set bit 29).
        using var wide = RandBit.Apply(plain, RandBit.MaxBits, RandBitSource.SeededRandom, seed: 12);
        Assert.Contains(wide.LabelValues(LabelKeys.RandBit), v => v >= 1L << 29);
    }

    [Fact]
    public void Default_label_names_are_non_empty_distinct_and_cifar100s_are_in_official_alphabetical_order()
    {
        foreach (var names in new[] { Cifar10Loader.DefaultClassNames, Cifar100Loader.DefaultCoarseNames, Cifar100Loader.DefaultFineNames, MnistLoader.DigitNames, MnistLoader.FashionNames })
        {
            Assert.All(names, n => Assert.False(string.IsNullOrWhiteSpace(n)));
            Assert.Equal(names.Count, names.Distinct().Count());
        }
        Assert.Equal((20, 100), (Cifar100Loader.DefaultCoarseNames.Count, Cifar100Loader.DefaultFineNames.Count));
        Assert.Equal(Cifar100Loader.DefaultCoarseNames.Order(StringComparer.Ordinal), Cifar100Loader.DefaultCoarseNames);
        Assert.Equal(Cifar100Loader.DefaultFineNames.Order(StringComparer.Ordinal), Cifar100Loader.DefaultFineNames);
        Assert.Equal(10, MnistLoader.FashionNames.Count);
    }

    [Theory]
    [InlineData(MnistVariant.Mnist)]
    [InlineData(MnistVariant.FashionMnist)]
    public void Mnist_files_are_found_in_each_documented_subfolder_and_the_splits_are_named_by_variant(MnistVariant variant)
    {
        string prefix = variant == MnistVariant.Mnist ? "mnist" : "fashion-mnist";
        foreach (var sub in MnistLoader.Subfolders(variant))
        {
            using var tmp = DataTestFiles.NewTempDir();
            var w = DataTestFiles.WriteMnist(Path.Combine(tmp.Path, sub), new Random(sub.Length), gz: false, nTrain: 3, nTest: 2, rows: 4, cols: 4);
            using var train = MnistLoader.Load(tmp.Path, DatasetSplit.Train, variant);
            using var test = MnistLoader.Load(tmp.Path, DatasetSplit.Test, variant);
            Assert.Equal(w.TrainLabels.Select(b => (long)b), train.LabelValues());
            Assert.Equal($"{prefix}/train", train.Name);
            Assert.Equal($"{prefix}/test", test.Name);
            Assert.Equal(variant == MnistVariant.Mnist ? MnistLoader.DigitNames : MnistLoader.FashionNames, train.Names());
        }
        using var empty = DataTestFiles.NewTempDir();
        var e = Assert.ThrowsAny<Exception>(() => MnistLoader.Load(empty.Path, DatasetSplit.Train, variant));
        Assert.Contains(variant == MnistVariant.Mnist ? "MNIST" : "Fashion-MNIST", e.Message);
    }

    [Fact]
    public void An_mnist_label_equal_to_the_class_count_is_refused_and_the_largest_class_accepted()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.Write(Path.Combine(tmp.Path, "train-images-idx3-ubyte"), DataTestFiles.Idx([2, 2, 2], new byte[8]), gz: false);
        DataTestFiles.Write(Path.Combine(tmp.Path, "train-labels-idx1-ubyte"), DataTestFiles.Idx([2], [9, 10]), gz: false);
        Assert.Contains("label 10 out of range", Assert.Throws<DatasetFormatException>(() => MnistLoader.Load(tmp.Path, DatasetSplit.Train)).Message);
        DataTestFiles.Write(Path.Combine(tmp.Path, "train-labels-idx1-ubyte"), DataTestFiles.Idx([2], [9, 0]), gz: false);
        using var ds = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal([9L, 0L], ds.LabelValues());
    }

    [Fact]
    public void Cifar100_name_files_with_the_wrong_count_are_refused()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.Write(Path.Combine(tmp.Path, Cifar100Loader.TrainFile), DataTestFiles.CifarRecords([[1, 2]], new byte[DataTestFiles.CifarPixels]), gz: false);
        File.WriteAllLines(Path.Combine(tmp.Path, Cifar100Loader.CoarseNamesFile), Enumerable.Range(0, 19).Select(i => $"c{i}"));
        Assert.Contains("expected 20 non-empty lines", Assert.Throws<DatasetFormatException>(() => Cifar100Loader.Load(tmp.Path, DatasetSplit.Train)).Message);
    }

    [Fact]
    public void Null_arguments_and_disposed_datasets_are_refused_by_name()
    {
        var classes = Classes([2, 2], shuffleSeed: 1);
        using var ds = Synthetic(classes, 2);
        Assert.Throws<ArgumentNullException>(() => RandBit.Apply(null!, 2));
        Assert.Throws<ArgumentNullException>(() => RandBit.Values(null!, 2));
        Assert.Throws<ArgumentNullException>(() => new SuperclassMap(null!, [0]));
        Assert.Throws<ArgumentNullException>(() => new SuperclassMap(["a"], null!));
        Assert.Throws<ArgumentNullException>(() => SuperclassMap.Parse("{}", "x.json", null!));
        Assert.Throws<ArgumentNullException>(() => SuperclassMap.MnistLowHigh.Apply(null!));
        Assert.Throws<ArgumentNullException>(() => DigitsOnBackgrounds.Create(null!, ds, 0));
        Assert.Throws<ArgumentNullException>(() => DigitsOnBackgrounds.Create(ds, null!, 0));
        Assert.Throws<ArgumentNullException>(() => ds.Subset((long[])null!));
        Assert.Throws<ArgumentNullException>(() => ds.Subset((Tensor)null!));
        var gone = Synthetic(classes, 2);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gone.Subset([0L]));
        Assert.Throws<ObjectDisposedException>(() => gone.Take(1, 0));
    }

    [Fact]
    public void Superclass_maps_refuse_ids_outside_their_names_and_datasets_of_another_class_count_and_keep_other_labels()
    {
        Assert.Throws<ArgumentException>(() => new SuperclassMap([], []));
        Assert.Throws<ArgumentException>(() => new SuperclassMap(["a", "b"], [0, 2]));
        Assert.Throws<ArgumentException>(() => new SuperclassMap(["a", "b"], [-1, 0]));
        Assert.Equal([0, 1], new SuperclassMap(["a", "b"], [0, 1]).SuperclassOf);
        // Comments and a trailing comma are accepted in the JSON file.
        var map = SuperclassMap.Parse("{ // two groups\n \"low\": [0, 1], \"high\": [2, 3], }", "x.json", new NumberedLabelNames(4));
        Assert.Equal([0, 0, 1, 1], map.SuperclassOf);
        var classes = Classes([3, 3, 3, 3], shuffleSeed: 8);
        using var plain = Synthetic(classes, 4, seed: 2);
        using var bits = RandBit.Apply(plain, 2, RandBitSource.SeededRandom, seed: 3);
        using var mapped = map.Apply(bits);
        Assert.Equal(classes.Select(c => c < 2 ? 0L : 1L), mapped.LabelValues());
        Assert.Equal(classes, mapped.LabelValues(LabelKeys.Subclass));
        Assert.Equal(bits.LabelValues(LabelKeys.RandBit), mapped.LabelValues(LabelKeys.RandBit));   // other labels keep their key
        Assert.Throws<UserInputException>(() => SuperclassMap.MnistLowHigh.Apply(bits));   // 10 classes mapped, 4 here
    }

    [Fact]
    public void Randbit_is_refused_on_a_dataset_that_already_has_extra_channels()
    {
        var classes = Classes([2, 2], shuffleSeed: 1);
        using var ds = Synthetic(classes, 2);
        using var extra = new ImageDataset(ds.Name, ds.Images.clone(), ds.Labels.ToDictionary(kv => kv.Key, kv => kv.Value.clone()), ds.LabelNames, zeros(4, 1));
        Assert.Throws<UserInputException>(() => RandBit.Apply(extra, 2));
    }

    [Fact]
    public void Registry_options_digits_on_backgrounds_sizes_per_split_and_a_separate_background_folder()
    {
        using var tmp = DataTestFiles.NewTempDir();
        string digitsDir = tmp.Sub("digits"), bgDir = tmp.Sub("backgrounds");
        DataTestFiles.WriteMnist(digitsDir, new Random(3), gz: false, nTrain: 12, nTest: 9);
        DataTestFiles.WriteCifar10(bgDir, new Random(4), gz: false, n1: 5, n3: 5, nTest: 6);
        var (train, test) = DatasetRegistry.Load("digits-on-backgrounds", digitsDir, new DatasetLoadOptions { BackgroundDataDir = bgDir, TrainSize = 7, TestSize = 4 });
        using (train) using (test)
        {
            Assert.Equal((7L, 4L), (train.Count, test.Count));
            Assert.Equal(("digits-on-backgrounds/train", "digits-on-backgrounds/test"), (train.Name, test.Name));
        }
        Assert.Contains("not supported", Assert.Throws<UserInputException>(() =>
            DatasetRegistry.Load("digits-on-backgrounds", digitsDir, new DatasetLoadOptions { SuperclassMapFile = "map.json", BackgroundDataDir = bgDir })).Message);
        // Backgrounds missing: the loader's failure reaches the caller (nothing half-built is returned).
        Assert.ThrowsAny<DatasetFormatException>(() => DatasetRegistry.Load("digits-on-backgrounds", digitsDir));
        Assert.Contains("--test-size 0", Assert.Throws<UserInputException>(() => DatasetRegistry.Load("mnist", digitsDir, new DatasetLoadOptions { TestSize = 0 })).Message);
        var (t30, s30) = DatasetRegistry.Load("mnist", digitsDir, new DatasetLoadOptions { RandBits = RandBit.MaxBits, RandBitSource = RandBitSource.SeededRandom });
        using (t30) using (s30) Assert.Equal(RandBit.MaxBits, t30.ExtraChannelCount);
        foreach (var (alias, canonical) in new[] { ("CIFAR-100", DatasetRegistry.Cifar100), ("Fashion_MNIST", DatasetRegistry.FashionMnist), ("fashionmnist", DatasetRegistry.FashionMnist),
                     ("fmnist", DatasetRegistry.FashionMnist), ("mnist-on-cifar10", DatasetRegistry.DigitsOnBackgrounds), ("digits-on-cifar10", DatasetRegistry.DigitsOnBackgrounds) })
            Assert.Equal(canonical, DatasetRegistry.Canonical(alias));
    }

    [Fact]
    public void Digits_on_backgrounds_refuses_shapes_it_cannot_compose_and_an_empty_background_set()
    {
        ImageDataset Images(int n, int c, int h, int w) => new("x", zeros([n, c, h, w], dtype: ScalarType.Byte),
            new Dictionary<string, Tensor> { [LabelKeys.Class] = zeros(n, dtype: ScalarType.Int64) }, new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new NumberedLabelNames(1) });
        using var digits = Images(2, 1, 28, 28);
        using var backgrounds = Images(2, 3, 32, 32);
        using var ok = DigitsOnBackgrounds.Create(digits, backgrounds, 0);
        Assert.Equal(2, ok.Count);
        using var side32 = Images(1, 1, 32, 32);
        using var ok32 = DigitsOnBackgrounds.Create(side32, backgrounds, 0);   // side 32 is "at most 32"
        foreach (var bad in new[] { Images(1, 3, 28, 28), Images(1, 1, 33, 28), Images(1, 1, 28, 33) })
            using (bad) Assert.Throws<UserInputException>(() => DigitsOnBackgrounds.Create(bad, backgrounds, 0));
        foreach (var bad in new[] { Images(1, 1, 32, 32), Images(1, 3, 31, 32), Images(1, 3, 32, 31), Images(0, 3, 32, 32) })
            using (bad) Assert.Throws<UserInputException>(() => DigitsOnBackgrounds.Create(digits, bad, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitsOnBackgrounds.Create(digits, backgrounds, 0, (DigitBlend)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitsOnBackgrounds.Pairing(3, 0, 1));
    }

    [Fact]
    public void Take_with_an_explicit_label_stratifies_on_that_label()
    {
        // Subclasses of unequal sizes under two classes: the draw on the class label is the class-stratified one.
        long[] sub = Classes([9, 3, 6, 6], shuffleSeed: 12);
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(sub.Select(v => v / 2).ToArray()), [LabelKeys.Subclass] = tensor(sub) };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new NumberedLabelNames(2), [LabelKeys.Subclass] = new NumberedLabelNames(4) };
        using var ds = new ImageDataset("s", zeros([sub.Length, 1, 1, 1], dtype: ScalarType.Byte), labels, names);
        using var byClass = ds.Take(7, seed: 5, labelKey: LabelKeys.Class);
        Assert.Equal(ImageDataset.TakeIndices(sub.Select(v => v / 2).ToArray(), 2, 7, 5, stratified: true), byClass.SourceIndices);
        using var byDefault = ds.Take(7, seed: 5);
        Assert.Equal(ImageDataset.TakeIndices(sub, 4, 7, 5, stratified: true), byDefault.SourceIndices);
    }

    /// <summary>The image hash from its description: FNV-1a over little-endian 8-byte words, then the tail bytes, then SplitMix64's finaliser.</summary>
    private static ulong NaiveHash(byte[] image)
    {
        ulong h = 14695981039346656037UL ^ (ulong)image.Length;
        int words = image.Length / 8;
        for (int w = 0; w < words; w++)
        {
            ulong word = 0;
            for (int b = 7; b >= 0; b--) word = (word << 8) | image[w * 8 + b];
            h = unchecked((h ^ word) * 1099511628211UL);
        }
        for (int i = words * 8; i < image.Length; i++) h = unchecked((h ^ image[i]) * 1099511628211UL);
        ulong z = h;
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(27)]
    public void The_image_hash_is_fnv1a_over_words_and_tail_then_mixed(int length)
    {
        var image = DataTestFiles.RandomBytes(new Random(length), length);
        Assert.Equal(NaiveHash(image), RandBit.HashImage(image));
    }

    [Fact]
    public void Hashed_bits_are_each_images_hash_masked_to_k_bits()
    {
        var classes = Classes([3, 3], shuffleSeed: 2);
        using var ds = Synthetic(classes, 2, seed: 9);
        var pixels = ds.Images.data<byte>().ToArray();
        var values = RandBit.Values(ds, 6);
        for (int i = 0; i < classes.Length; i++)
            Assert.Equal((long)(NaiveHash(pixels.Skip(i * 4).Take(4).ToArray()) & 63UL), values[i]);
    }
}
