using WhichFeatures.Core;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>Superclasses, RandBit, digits on backgrounds, subsets and the registry.</summary>
[Collection("torch")]
public class DerivedDatasetTests
{
    private static long[] L(ImageDataset ds, string key) => ds.Labels[key].data<long>().ToArray();

    private static ImageDataset Synthetic(long[] classes, int c = 3, int h = 32, int w = 32, int numClasses = 10, int seed = 0, string name = "synthetic")
    {
        var rng = new Random(seed);
        var pixels = DataTestFiles.RandomBytes(rng, classes.Length * c * h * w);
        return new ImageDataset(name, tensor(pixels, new long[] { classes.Length, c, h, w }, dtype: ScalarType.Byte),
            new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(classes) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = Enumerable.Range(0, numClasses).Select(i => $"c{i}").ToArray() });
    }

    [Fact]
    public void Cifar10SuperclassesThroughTheRegistry()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteCifar10(tmp.Sub("cifar-10-batches-bin"), new Random(30), gz: false, n1: 40, n3: 20, nTest: 30);
        var (train, test) = DatasetRegistry.Load("CIFAR-10", tmp.Path, new DatasetLoadOptions { Superclasses = true });
        using (train) using (test)
        {
            var vehicles = new HashSet<string> { "airplane", "automobile", "ship", "truck" };
            var names = Cifar10Loader.DefaultClassNames;
            Assert.Equal(new[] { "vehicles", "animals" }, train.Names(LabelKeys.Class));
            Assert.Equal(names, train.Names(LabelKeys.Subclass));
            Assert.Equal(w.TrainLabels.Select(b => (long)b), L(train, LabelKeys.Subclass));
            Assert.Equal(w.TrainLabels.Select(b => vehicles.Contains(names[b]) ? 0L : 1L), L(train, LabelKeys.Class));
            Assert.Equal(w.TestLabels.Select(b => vehicles.Contains(names[b]) ? 0L : 1L), L(test, LabelKeys.Class));
        }
    }

    [Fact]
    public void SuperclassMapFromJsonWithIdsAndNames()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var path = Path.Combine(tmp.Path, "map.json");
        File.WriteAllText(path, """{ "low": [0, 1, "c2"], "mid": [3, 4, 5, 6], "high": ["c7", 8, 9] }""");
        using var ds = Synthetic(new long[] { 0, 9, 3, 7, 2, 5, 5, 1 });
        var map = SuperclassMap.FromJsonFile(path, ds.Names());
        using var mapped = map.Apply(ds);
        Assert.Equal(new long[] { 0, 2, 1, 2, 0, 1, 1, 0 }, L(mapped, LabelKeys.Class));
        Assert.Equal(new long[] { 0, 9, 3, 7, 2, 5, 5, 1 }, L(mapped, LabelKeys.Subclass));
        Assert.Equal(new[] { "low", "mid", "high" }, mapped.Names(LabelKeys.Class));
        // Images untouched.
        Assert.Equal(ds.Images.data<byte>().ToArray(), mapped.Images.data<byte>().ToArray());
    }

    [Theory]
    [InlineData("""{ "a": [0, 1, 2, 3, 4], "b": [4, 5, 6, 7, 8, 9] }""", "listed under both")]
    [InlineData("""{ "a": [0, 1, 2, 3, 4], "b": [5, 6, 7, 8] }""", "9 (c9) in no superclass")]
    [InlineData("""{ "a": [0, 1, 2, 3, 4], "b": [5, 6, 7, 8, 10] }""", "class id 10 out of range")]
    [InlineData("""{ "a": [0, 1, 2, 3, 4], "b": [5, 6, 7, 8, -1, 9] }""", "class id -1 out of range")]
    [InlineData("""[0, 1]""", "expected an object")]
    [InlineData("""{ "a": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "b": [] }""", "is empty")]
    [InlineData("""{ "a": "0-9" }""", "expected an array")]
    [InlineData("""{ "a": [0, 1.5] }""", "expected integer class ids")]
    [InlineData("""{ "a": [0, "zebra"] }""", "unknown class name")]
    [InlineData("""{ "a": [0, 1 """, "not valid JSON")]
    public void InvalidSuperclassMapsNameTheFile(string json, string expected)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var path = Path.Combine(tmp.Path, "bad-map.json");
        File.WriteAllText(path, json);
        var names = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray();
        var e = Assert.Throws<DatasetFormatException>(() => SuperclassMap.FromJsonFile(path, names));
        Assert.Contains("bad-map.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void SuperclassMapFileMissingOrADirectory()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var names = new[] { "a", "b" };
        Assert.Contains("does not exist", Assert.Throws<DatasetFormatException>(() => SuperclassMap.FromJsonFile(Path.Combine(tmp.Path, "no.json"), names)).Message);
        Assert.Contains("is a directory", Assert.Throws<DatasetFormatException>(() => SuperclassMap.FromJsonFile(tmp.Path, names)).Message);
    }

    [Fact]
    public void MappingADatasetWithSubclassesKeepsTheOldSubclass()
    {
        using var ds0 = Synthetic(new long[] { 0, 1, 2, 3 }, numClasses: 4);
        using var ds = ds0.WithLabels(
            new Dictionary<string, Tensor> { [LabelKeys.Class] = ds0.Labels[LabelKeys.Class].clone(), [LabelKeys.Subclass] = tensor(new long[] { 7, 6, 5, 4 }) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = ds0.LabelNames[LabelKeys.Class], [LabelKeys.Subclass] = new NumberedLabelNames(8) });
        var map = new SuperclassMap(new[] { "x", "y" }, new[] { 1, 0, 1, 0 });
        using var mapped = map.Apply(ds);
        Assert.Equal(new long[] { 1, 0, 1, 0 }, L(mapped, LabelKeys.Class));
        Assert.Equal(new long[] { 0, 1, 2, 3 }, L(mapped, LabelKeys.Subclass));
        Assert.Equal(new long[] { 7, 6, 5, 4 }, L(mapped, LabelKeys.OriginalSubclass));
    }

    [Fact]
    public void RandBitFromTheImageHashIsDeterministicPerImage()
    {
        using var a = Synthetic(Enumerable.Range(0, 200).Select(i => (long)(i % 10)).ToArray(), seed: 1);
        // b = a's images in reverse order: each image must keep its bits wherever it is.
        var reversed = Enumerable.Range(0, 200).Select(i => (long)(199 - i)).ToArray();
        using var b = a.Subset(reversed);
        using var ra = RandBit.Apply(a, 12);
        using var rb = RandBit.Apply(b, 12);
        var va = L(ra, LabelKeys.RandBit);
        var vb = L(rb, LabelKeys.RandBit);
        Assert.Equal(va.Reverse(), vb);
        Assert.Equal(va, RandBit.Values(a, 12)); // same again

        // Bits in the extra channels are the label's binary digits, LSB first; values cover the range.
        Assert.Equal(new long[] { 200, 12 }, ra.ExtraChannels!.shape);
        var bits = ra.ExtraChannels.data<float>().ToArray();
        for (int i = 0; i < 200; i++)
            for (int j = 0; j < 12; j++)
                Assert.Equal((va[i] >> j) & 1, (long)bits[i * 12 + j]);
        Assert.All(va, v => Assert.InRange(v, 0, 4095));
        Assert.True(va.Distinct().Count() > 190, "hash values should rarely collide for 200 random images and 4096 values");
        for (int j = 0; j < 12; j++)
        {
            double mean = Enumerable.Range(0, 200).Average(i => bits[i * 12 + j]);
            Assert.InRange(mean, 0.3, 0.7);
        }
        // One changed pixel changes the bits (almost surely); labels and images are untouched.
        using var changed = a.Subset(Enumerable.Range(0, 200).Select(i => (long)i).ToArray());
        changed.Images[0, 1, 2, 3] = tensor((byte)(a.Images[0, 1, 2, 3].item<byte>() ^ 1));
        Assert.NotEqual(va[0], RandBit.Values(changed, 12)[0]);
        Assert.Equal(L(a, LabelKeys.Class), L(ra, LabelKeys.Class));
        Assert.Equal(4096, ra.NumClasses(LabelKeys.RandBit));
    }

    [Fact]
    public void SeededRandomBitsDependOnTheSeedOnly()
    {
        using var a = Synthetic(Enumerable.Range(0, 100).Select(i => (long)(i % 10)).ToArray(), seed: 2);
        var v1 = RandBit.Values(a, 5, RandBitSource.SeededRandom, seed: 7);
        var v2 = RandBit.Values(a, 5, RandBitSource.SeededRandom, seed: 7);
        var v3 = RandBit.Values(a, 5, RandBitSource.SeededRandom, seed: 8);
        Assert.Equal(v1, v2);
        Assert.NotEqual(v1, v3);
        Assert.True(v1.Distinct().Count() > 20);
        Assert.Throws<UserInputException>(() => RandBit.Values(a, 0));
        Assert.Throws<UserInputException>(() => RandBit.Values(a, 31));
    }

    [Theory]
    [InlineData(DigitBlend.Max)]
    [InlineData(DigitBlend.Alpha)]
    public void DigitsOnBackgroundsBlendsEachDigitOnItsPairedBackground(DigitBlend blend)
    {
        var digitClasses = Enumerable.Range(0, 25).Select(i => (long)(i % 10)).ToArray();
        using var digits = Synthetic(digitClasses, c: 1, h: 28, w: 28, seed: 3, name: "digits");
        using var bgs = Synthetic(new long[] { 4, 2, 9, 0, 7, 7, 1 }, seed: 4, name: "bgs");
        using var mixed = DigitsOnBackgrounds.Create(digits, bgs, seed: 11, blend);
        var pairing = DigitsOnBackgrounds.Pairing(25, 7, 11);

        Assert.Equal(new long[] { 25, 3, 32, 32 }, mixed.Images.shape);
        Assert.Equal(digitClasses, L(mixed, LabelKeys.Class));
        Assert.Equal(digitClasses, L(mixed, LabelKeys.Digit));
        var bgClasses = L(bgs, LabelKeys.Class);
        Assert.Equal(pairing.Select(p => bgClasses[p]), L(mixed, LabelKeys.Background));

        var d = digits.Images.data<byte>().ToArray();
        var b = bgs.Images.data<byte>().ToArray();
        var m = mixed.Images.data<byte>().ToArray();
        for (int i = 0; i < 25; i++)
            for (int ch = 0; ch < 3; ch++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                    {
                        // Naive reference: digit pixel (y-2, x-2) inside the 2-pixel border, else 0.
                        int dy = y - 2, dx = x - 2;
                        int dv = dy is >= 0 and < 28 && dx is >= 0 and < 28 ? d[i * 784 + dy * 28 + dx] : 0;
                        int bv = b[pairing[i] * 3072 + ch * 1024 + y * 32 + x];
                        int expected = blend == DigitBlend.Max ? Math.Max(dv, bv)
                            : (int)Math.Round(Math.Clamp(dv + (1 - dv / 255.0) * bv, 0, 255), MidpointRounding.ToEven);
                        int actual = m[i * 3072 + ch * 1024 + y * 32 + x];
                        Assert.True(Math.Abs(expected - actual) <= (blend == DigitBlend.Max ? 0 : 1), $"image {i} ({ch},{y},{x}): expected {expected}, got {actual}");
                    }
    }

    [Fact]
    public void PairingIsSeededAndBalanced()
    {
        var p = DigitsOnBackgrounds.Pairing(23, 5, 3);
        Assert.Equal(p, DigitsOnBackgrounds.Pairing(23, 5, 3));
        Assert.NotEqual(p, DigitsOnBackgrounds.Pairing(23, 5, 4));
        var uses = p.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, uses.Count);
        Assert.All(uses.Values, c => Assert.InRange(c, 4, 5));
        Assert.Equal(10, DigitsOnBackgrounds.Pairing(10, 100, 1).Distinct().Count()); // fewer digits than backgrounds: distinct
    }

    [Fact]
    public void DigitsOnBackgroundsThroughTheRegistry()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var wm = DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(40), gz: true, nTrain: 30, nTest: 12);
        DataTestFiles.WriteCifar10(tmp.Sub("cifar-10-batches-bin"), new Random(41), gz: false);
        var (train, test) = DatasetRegistry.Load("digits-on-backgrounds", tmp.Path, new DatasetLoadOptions { Seed = 5, RandBits = 3 });
        using (train) using (test)
        {
            Assert.Equal(30, train.Count);
            Assert.Equal(12, test.Count);
            Assert.Equal(wm.TrainLabels.Select(v => (long)v), L(train, LabelKeys.Digit));
            Assert.Equal(3, train.ExtraChannelCount);
            Assert.Equal(new[] { LabelKeys.Background, LabelKeys.Class, LabelKeys.Digit, LabelKeys.RandBit }, train.Labels.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("airplane", train.Names(LabelKeys.Background)[0]);
        }
    }

    [Fact]
    public void TakeIsStratifiedSeededAndOrdered()
    {
        var classes = Enumerable.Repeat(0L, 50).Concat(Enumerable.Repeat(1L, 30)).Concat(Enumerable.Repeat(2L, 20)).ToArray();
        new SeededRandom(9).Shuffle(classes);
        using var ds = Synthetic(classes, numClasses: 3, h: 4, w: 4);
        using var a = ds.Take(10, seed: 1);
        using var b = ds.Take(10, seed: 1);
        using var c = ds.Take(10, seed: 2);
        Assert.Equal(new long[] { 5, 3, 2 }, a.CountsPerClass());
        Assert.Equal(a.Images.data<byte>().ToArray(), b.Images.data<byte>().ToArray());
        Assert.NotEqual(a.Images.data<byte>().ToArray(), c.Images.data<byte>().ToArray());
        // 11 of 50/30/20: floors 5/3/2, the leftover goes to the largest remainder (class 1: 3.3 vs 5.5 -> class 0).
        var idx = ImageDataset.TakeIndices(classes, 3, 11, 1, stratified: true);
        Assert.Equal(idx.OrderBy(v => v), idx);
        Assert.Equal(new[] { 6, 3, 2 }, new[] { 0, 1, 2 }.Select(k => idx.Count(i => classes[i] == k)));
        Assert.Equal(idx.Length, idx.Distinct().Count());
        var uniform = ImageDataset.TakeIndices(classes, 3, 40, 1, stratified: false);
        Assert.Equal(40, uniform.Distinct().Count());
        Assert.Throws<UserInputException>(() => ds.Take(101, 1));
        Assert.Throws<UserInputException>(() => ds.Take(0, 1));
        // Subset keeps pixels and labels together.
        var picks = new long[] { 7, 3, 3 };
        using var s = ds.Subset(picks);
        Assert.Equal(picks.Select(i => classes[i]), L(s, LabelKeys.Class));
        Assert.Equal(ds.Images[7].data<byte>().ToArray(), s.Images[0].data<byte>().ToArray());
    }

    [Fact]
    public void MnistBuiltInSuperclassesAreDigits0To4And5To9()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (trainLabels, _, _, _) = DataTestFiles.WriteMnist(tmp.Path, new Random(21), gz: true, nTrain: 30, nTest: 10);
        var (train, test) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { Superclasses = true });
        using (train)
        using (test)
        {
            Assert.Equal(trainLabels.Select(l => (long)l), L(train, LabelKeys.Subclass));
            Assert.Equal(trainLabels.Select(l => l < 5 ? 0L : 1L), L(train, LabelKeys.Class));   // naive rule, not the map's table
            Assert.Equal(["digits 0-4", "digits 5-9"], train.Names(LabelKeys.Class));
        }
    }

    [Fact]
    public void RegistryRejectsUnknownNamesAndConflictingOptions()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var e = Assert.Throws<UserInputException>(() => DatasetRegistry.Load("imagenet", tmp.Path));
        foreach (var n in DatasetRegistry.Names) Assert.Contains(n, e.Message);
        Assert.Contains("--superclass-map", Assert.Throws<UserInputException>(() => DatasetRegistry.Load("fashion-mnist", tmp.Path, new DatasetLoadOptions { Superclasses = true })).Message);
        Assert.Throws<UserInputException>(() => DatasetRegistry.Load("cifar10", tmp.Path, new DatasetLoadOptions { Superclasses = true, SuperclassMapFile = "x.json" }));
        Assert.Throws<UserInputException>(() => DatasetRegistry.Load("cifar10", tmp.Path, new DatasetLoadOptions { RandBits = 40 }));
        Assert.Throws<UserInputException>(() => DatasetRegistry.Load("cifar10", tmp.Path, new DatasetLoadOptions { TrainSize = 0 }));
        Assert.Throws<DatasetFormatException>(() => DatasetRegistry.Load("cifar100", tmp.Path));
    }

    [Fact]
    public void RegistrySubsetsAndAddsRandBits()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteCifar10(tmp.Path, new Random(50), gz: true, n1: 30, n3: 30, nTest: 20);
        var (train, test) = DatasetRegistry.Load("cifar10", tmp.Path, new DatasetLoadOptions { TrainSize = 25, TestSize = 10, RandBits = 4, Seed = 3 });
        using (train) using (test)
        {
            Assert.Equal(25, train.Count);
            Assert.Equal(10, test.Count);
            Assert.Equal(4, train.ExtraChannelCount);
            Assert.Equal(RandBit.Values(train, 4), L(train, LabelKeys.RandBit));
        }
    }
}
