using WhichFeatures.Core;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>Marked pairs (Data/MarkedPairs): every image checked against a naive loop, and the registry's splits.</summary>
[Collection("torch")]
public class MarkedPairsTests
{
    private const int Side = 32, DigitSide = 28;

    private static ImageDataset Images(long[] classes, int c, int side, int numClasses, int seed, string name)
    {
        var pixels = DataTestFiles.RandomBytes(new Random(seed), classes.Length * c * side * side);
        return new ImageDataset(name, tensor(pixels, new long[] { classes.Length, c, side, side }, dtype: ScalarType.Byte),
            new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(classes) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = Enumerable.Range(0, numClasses).Select(i => $"c{i}").ToArray() });
    }

    private static ImageDataset Objects(int n, int seed) =>
        Images(Enumerable.Range(0, n).Select(i => (long)new Random(seed + i).Next(10)).ToArray(), 3, Side, 10, seed, "objects");

    private static ImageDataset Digits(int n, int seed) =>
        Images(Enumerable.Range(0, n).Select(i => (long)(i % 10)).ToArray(), 1, DigitSide, 10, seed, "digits");

    /// <summary>The index of the digit of label <paramref name="mark"/> that, max-blended into the centre of object i, gives image i; -1 if none does.</summary>
    private static int BlendedDigit(byte[] obj, byte[] img, byte[] digits, long[] digitLabels, int i, long mark)
    {
        const int image = 3 * Side * Side, off = (Side - DigitSide) / 2;
        for (int d = 0; d < digitLabels.Length; d++)
        {
            if (digitLabels[d] != mark) continue;
            bool same = true;
            for (int ch = 0; ch < 3 && same; ch++)
                for (int y = 0; y < Side && same; y++)
                    for (int x = 0; x < Side && same; x++)
                    {
                        int at = i * image + (ch * Side + y) * Side + x;
                        bool inside = y >= off && y < off + DigitSide && x >= off && x < off + DigitSide;
                        byte want = inside ? Math.Max(obj[at], digits[d * DigitSide * DigitSide + (y - off) * DigitSide + (x - off)]) : obj[at];
                        same = img[at] == want;
                    }
            if (same) return d;
        }
        return -1;
    }

    [Fact]
    public void EveryImageIsItsObjectWithADigitOfItsMarkMaxBlendedIntoTheCentre()
    {
        const int n = 300;
        using var objects = Objects(n, 1);
        using var digits = Digits(40, 2);
        using var marked = MarkedPairs.Create(objects, digits, agreement: 0.8, seed: 7);
        var obj = objects.Images.data<byte>().ToArray();
        var img = marked.Images.data<byte>().ToArray();
        var dig = digits.Images.data<byte>().ToArray();
        var digitLabels = digits.LabelValues();
        var objectLabels = objects.LabelValues();
        var cls = marked.LabelValues(LabelKeys.Class);
        var mark = marked.LabelValues(LabelKeys.Mark);
        // airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck -> sky-sea, road, bird-frog, pets, hoofed, pets, bird-frog, hoofed, sky-sea, road
        long[] pairOf = [0, 1, 4, 2, 3, 2, 4, 3, 0, 1];
        Assert.Equal(["sky-sea", "road", "pets", "hoofed", "bird-frog"], marked.Names(LabelKeys.Class));
        Assert.Equal(objects.Names(), marked.Names(LabelKeys.Subclass));
        Assert.Equal(objectLabels, marked.LabelValues(LabelKeys.Subclass));
        Assert.Equal(objects.SourceIndices, marked.SourceIndices);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(pairOf[objectLabels[i]], cls[i]);
            Assert.InRange(mark[i], 0, 4);
            Assert.True(BlendedDigit(obj, img, dig, digitLabels, i, mark[i]) >= 0, $"image {i}: not its object with a digit {mark[i]} blended");
        }
        // Agreement 0.8 of 300: 240 expected, binomial standard deviation 6.9; 4 deviations either side.
        Assert.InRange(Enumerable.Range(0, n).Count(i => mark[i] == cls[i]), 212, 268);
        // The other marks spread over all four other pairs.
        Assert.Equal(4, Enumerable.Range(0, n).Where(i => mark[i] != cls[i]).Select(i => (mark[i] - cls[i] + 5) % 5).Distinct().Count());
    }

    [Fact]
    public void AtFullAgreementTheMarkIsTheClassAndTheSeedFixesTheDraws()
    {
        using var objects = Objects(200, 3);
        using var digits = Digits(30, 4);
        using var a = MarkedPairs.Create(objects, digits, agreement: 1, seed: 1);
        using var b = MarkedPairs.Create(objects, digits, agreement: 0.5, seed: 1);
        using var b2 = MarkedPairs.Create(objects, digits, agreement: 0.5, seed: 1);
        using var c = MarkedPairs.Create(objects, digits, agreement: 0.5, seed: 2);
        Assert.Equal(a.LabelValues(LabelKeys.Class), a.LabelValues(LabelKeys.Mark));
        Assert.Equal(b.Images.data<byte>().ToArray(), b2.Images.data<byte>().ToArray());
        Assert.NotEqual(b.LabelValues(LabelKeys.Mark), c.LabelValues(LabelKeys.Mark));
    }

    [Fact]
    public void DigitsAreUsedInTurnsOverEachMarksShuffledPool()
    {
        long[] pairs = [0, 0, 0, 0, 0, 0, 1, 1];
        long[] digitLabels = [0, 1, 0, 0, 1, 7];   // three 0s, two 1s
        var (marks, chosen) = MarkedPairs.DrawMarks(pairs, digitLabels, pairCount: 2, agreement: 1, seed: 5);
        Assert.Equal(pairs, marks);
        // Six marks 0 cycle twice over the three 0-digits in one shuffled order; two marks 1 use both 1-digits once.
        Assert.Equal(chosen[..3], chosen[3..6]);
        Assert.Equal([0L, 2, 3], chosen[..3].Order());
        Assert.Equal([1L, 4], chosen[6..].Order());
        Assert.Contains("no digit 1", Assert.Throws<UserInputException>(() => MarkedPairs.DrawMarks([1], [0, 0], 2, 1, 5)).Message);
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        using var objects = Objects(10, 5);
        using var grey = Images([0, 1], 1, Side, 10, 6, "grey");
        using var digits = Digits(10, 7);
        Assert.Contains("grey: objects must be [3, 32, 32]", Assert.Throws<UserInputException>(() => MarkedPairs.Create(grey, digits, 0.9, 1)).Message);
        Assert.Contains("objects: digits must be 1-channel", Assert.Throws<UserInputException>(() => MarkedPairs.Create(objects, objects, 0.9, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkedPairs.Create(objects, digits, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkedPairs.Create(objects, digits, 1.01, 1));
    }

    [Fact]
    public void TheRegistryMarksTrainingImagesWithTrainingDigitsAndTestImagesWithTestDigits()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var wm = DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(50), gz: true, nTrain: 120, nTest: 60);
        var wc = DataTestFiles.WriteCifar10(tmp.Sub("cifar-10-batches-bin"), new Random(51), gz: false, n1: 30, n3: 20, nTest: 25);
        var (train, test) = DatasetRegistry.Load("cifar10-marked-pairs", tmp.Path, new DatasetLoadOptions { Seed = 3, MarkAgreement = 0.7 });
        using (train) using (test)
        {
            Assert.Equal((50L, 25L), (train.Count, test.Count));
            Assert.Equal(wc.TrainLabels.Select(v => (long)v), train.LabelValues(LabelKeys.Subclass));
            Assert.Equal(new[] { LabelKeys.Class, LabelKeys.Mark, LabelKeys.Subclass }, train.Labels.Keys.Order(StringComparer.Ordinal));
            foreach (var (split, objectPixels, digitPixels, digitLabels) in new[] { (train, wc.TrainPixels, wm.TrainPixels, wm.TrainLabels), (test, wc.TestPixels, wm.TestPixels, wm.TestLabels) })
            {
                var img = split.Images.data<byte>().ToArray();
                var mark = split.LabelValues(LabelKeys.Mark);
                var labels = digitLabels.Select(v => (long)v).ToArray();
                for (int i = 0; i < split.Count; i++)
                    Assert.True(BlendedDigit(objectPixels, img, digitPixels, labels, i, mark[i]) >= 0, $"{split.Name} image {i}");
            }
        }
        var (carved, validation) = DatasetRegistry.Load("marked-pairs", tmp.Path, new DatasetLoadOptions { ValidationSize = 10, TrainSize = 20 });
        using (carved) using (validation)
        {
            Assert.Equal((20L, 10L), (carved.Count, validation.Count));
            Assert.Equal("marked-pairs/validation", validation.Name);
            Assert.Empty(carved.SourceIndices.Intersect(validation.SourceIndices));
        }
        Assert.Contains("marked-pairs: superclasses are built in", Assert.Throws<UserInputException>(() =>
            DatasetRegistry.Load("marked-pairs", tmp.Path, new DatasetLoadOptions { Superclasses = true })).Message);
        Assert.Contains("mark agreement 0", Assert.Throws<UserInputException>(() =>
            DatasetRegistry.Load("marked-pairs", tmp.Path, new DatasetLoadOptions { MarkAgreement = 0 })).Message);
    }

    [SkippableFact]
    public void OnSharedDataTheRound3TestSplitIsCifar10sRound3ImagesMarked()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, "mnist")) || !Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin")), "../shared/data not found");
        var (train, test) = DatasetRegistry.Load("marked-pairs", shared!, new DatasetLoadOptions { TestSubset = TestSubsetKind.Round3, TrainSize = 1000 });
        using (train) using (test)
        using (var cifar = Cifar10Loader.Load(shared!, DatasetSplit.Test))
        using (var round3 = Round3TestSubset.Select(TestSubsetKind.Round3, DatasetRegistry.Cifar10, cifar))
        {
            Assert.Equal(Round3TestSubset.ScoredImages(TestSubsetKind.Round3, DatasetRegistry.MarkedPairs), (int)test.Count);
            Assert.Equal(round3.SourceIndices, test.SourceIndices);
            Assert.Equal(round3.LabelValues(), test.LabelValues(LabelKeys.Subclass));
            var cls = test.LabelValues(LabelKeys.Class);
            var mark = test.LabelValues(LabelKeys.Mark);
            double agree = Enumerable.Range(0, cls.Length).Average(i => mark[i] == cls[i] ? 1.0 : 0.0);
            // 2,000 images at agreement 0.9: standard deviation 0.0067.
            Assert.InRange(agree, MarkedPairs.DefaultAgreement - 0.03, MarkedPairs.DefaultAgreement + 0.03);
        }
    }
}
