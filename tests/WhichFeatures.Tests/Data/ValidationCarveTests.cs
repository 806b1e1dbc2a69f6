using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// --validation-size: a fixed stratified carve of the training split evaluated in place of the test split. Checked
/// against the files written (labels and pixels by source index), set algebra on the source indices and the
/// per-class proportions; the test files are made unreadable to show they are never opened.
/// </summary>
[Collection("torch")]
public class ValidationCarveTests
{
    private const int NTrain = 120, NVal = 30;

    private static long[] L(ImageDataset ds, string key = LabelKeys.Class) => ds.LabelValues(key);

    /// <summary>Makes the test split unreadable: the label file is garbage and the image file is gone.</summary>
    private static void SpoilMnistTestFiles(string mnistDir)
    {
        foreach (var f in Directory.GetFiles(mnistDir, "t10k-*")) File.Delete(f);
        File.WriteAllBytes(Path.Combine(mnistDir, "t10k-labels-idx1-ubyte"), [1, 2, 3]);
    }

    [Fact]
    public void TheCarveAndTheRemainderPartitionTheTrainingSplitWithTheirOwnPixelsAndLabels()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(50), gz: false, nTrain: NTrain, nTest: 7);
        var (train, val) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal });
        using (train) using (val)
        {
            Assert.Equal(NTrain - NVal, train.Count);
            Assert.Equal(NVal, val.Count);
            var t = train.SourceIndices.ToHashSet();
            var v = val.SourceIndices.ToHashSet();
            Assert.Equal(train.Count, t.Count);
            Assert.Equal(val.Count, v.Count);
            Assert.Empty(t.Intersect(v));
            Assert.Equal(Enumerable.Range(0, NTrain).Select(i => (long)i), t.Union(v).OrderBy(i => i));
            // Every example is the training-file record its source index names: label and all 784 pixels.
            foreach (var ds in new[] { train, val })
            {
                var labels = L(ds);
                var pixels = ds.Images.data<byte>().ToArray();
                for (int i = 0; i < ds.Count; i++)
                {
                    long s = ds.SourceIndices[i];
                    Assert.Equal(w.TrainLabels[s], labels[i]);
                    Assert.Equal(w.TrainPixels.AsSpan((int)s * 784, 784).ToArray(), pixels.AsSpan(i * 784, 784).ToArray());
                }
            }
        }
    }

    [Fact]
    public void TheCarveIsStratifiedByClass()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(51), gz: false, nTrain: NTrain, nTest: 7);
        var (train, val) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal });
        using (train) using (val)
        {
            var valLabels = L(val);
            for (int k = 0; k < 10; k++)
            {
                double share = NVal * (double)w.TrainLabels.Count(b => b == k) / NTrain;   // the class's proportional share
                int got = valLabels.Count(v => v == k);
                Assert.True(Math.Abs(got - share) < 1, $"class {k}: {got} carved, proportional share {share:F2}");
            }
        }
    }

    [Fact]
    public void TheCarveIsTheSameForEveryRunSeed()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(52), gz: false, nTrain: NTrain, nTest: 7);
        var carves = new List<long[]>();
        foreach (var seed in new[] { 0, 1, 7, 1234 })
        {
            var (train, val) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal, Seed = seed });
            using (train) using (val) carves.Add([.. val.SourceIndices]);
        }
        Assert.All(carves, c => Assert.Equal(carves[0], c));
        // ... and it is a draw, not the first N records.
        Assert.NotEqual(Enumerable.Range(0, NVal).Select(i => (long)i), carves[0]);
    }

    [Fact]
    public void TrainSizeAndTestSizeSubsetTheRemainderAndTheCarve()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(53), gz: false, nTrain: NTrain, nTest: 7);
        HashSet<long> carve;
        var (train0, val0) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal });
        using (train0) using (val0) carve = val0.SourceIndices.ToHashSet();
        var (train, val) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal, TrainSize = 40, TestSize = 12, Seed = 3 });
        using (train) using (val)
        {
            Assert.Equal(40, train.Count);
            Assert.Equal(12, val.Count);
            Assert.All(train.SourceIndices, s => Assert.DoesNotContain(s, carve));
            Assert.All(val.SourceIndices, s => Assert.Contains(s, carve));
        }
    }

    [Fact]
    public void TheTestFilesAreNeverRead()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var mnist = tmp.Sub("mnist");
        DataTestFiles.WriteMnist(mnist, new Random(54), gz: false, nTrain: NTrain, nTest: 7);
        SpoilMnistTestFiles(mnist);
        // Without the carve the spoilt test split is an error (so the spoiling is real) ...
        Assert.Throws<DatasetFormatException>(() => DatasetRegistry.Load("mnist", tmp.Path));
        // ... with it the load succeeds.
        var (train, val) = DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = NVal, RandBits = 2 });
        using (train) using (val)
        {
            Assert.Equal(NVal, val.Count);
            Assert.Equal(2, val.ExtraChannelCount);
        }

        // CIFAR-10 too, with the built-in superclasses applied to both parts.
        var cifar = tmp.Sub("cifar-10-batches-bin");
        var wc = DataTestFiles.WriteCifar10(cifar, new Random(55), gz: false, n1: 30, n3: 20, nTest: 4);
        File.WriteAllBytes(Path.Combine(cifar, "test_batch.bin"), [9, 9, 9]);
        Assert.Throws<DatasetFormatException>(() => DatasetRegistry.Load("cifar10", tmp.Path));
        var (ct, cv) = DatasetRegistry.Load("cifar10", tmp.Path, new DatasetLoadOptions { ValidationSize = 10, Superclasses = true });
        using (ct) using (cv)
        {
            Assert.Equal(40, ct.Count);
            Assert.Equal(10, cv.Count);
            Assert.Equal(wc.TrainLabels.Length, ct.SourceIndices.Concat(cv.SourceIndices).Distinct().Count());
            var sub = L(cv, LabelKeys.Subclass);
            for (int i = 0; i < cv.Count; i++) Assert.Equal(wc.TrainLabels[cv.SourceIndices[i]], sub[i]);
        }
    }

    [Fact]
    public void DigitsOnBackgroundsCarvesTrainingDigitsOnTheirOwnTrainingBackgrounds()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var mnist = tmp.Sub("mnist");
        var wm = DataTestFiles.WriteMnist(mnist, new Random(56), gz: false, nTrain: 60, nTest: 7);
        var cifar = tmp.Sub("cifar-10-batches-bin");
        var wc = DataTestFiles.WriteCifar10(cifar, new Random(57), gz: false, n1: 30, n3: 20, nTest: 4);
        SpoilMnistTestFiles(mnist);
        File.Delete(Path.Combine(cifar, "test_batch.bin"));
        var (train, val) = DatasetRegistry.Load("digits-on-backgrounds", tmp.Path, new DatasetLoadOptions { ValidationSize = 20, Seed = 2 });
        using (train) using (val)
        {
            Assert.Equal(40, train.Count);
            Assert.Equal(20, val.Count);
            Assert.Empty(train.SourceIndices.Intersect(val.SourceIndices));
            Assert.Equal(60, train.SourceIndices.Union(val.SourceIndices).Count());
            foreach (var ds in new[] { train, val })
            {
                var digits = L(ds, LabelKeys.Digit);
                for (int i = 0; i < ds.Count; i++) Assert.Equal(wm.TrainLabels[ds.SourceIndices[i]], digits[i]);
            }
            // Which CIFAR-10 training image each background is: the top two rows (outside the 28x28 digit, which sits
            // 2 pixels in) are the background's own pixels under the max blend. Validation and training images must
            // use different backgrounds, as the test split's backgrounds are images training never sees.
            int[] BackgroundsOf(ImageDataset ds)
            {
                var px = ds.Images.data<byte>().ToArray();
                var bgLabels = L(ds, LabelKeys.Background);
                return Enumerable.Range(0, (int)ds.Count).Select(i =>
                {
                    var matches = Enumerable.Range(0, wc.TrainLabels.Length).Where(b => Enumerable.Range(0, 3).All(ch =>
                        px.AsSpan(i * DataTestFiles.CifarPixels + ch * 1024, 64).SequenceEqual(wc.TrainPixels.AsSpan(b * DataTestFiles.CifarPixels + ch * 1024, 64)))).ToArray();
                    Assert.Single(matches);
                    Assert.Equal(wc.TrainLabels[matches[0]], bgLabels[i]);
                    return matches[0];
                }).ToArray();
            }
            var valBackgrounds = BackgroundsOf(val);
            var trainBackgrounds = BackgroundsOf(train);
            Assert.Empty(valBackgrounds.Intersect(trainBackgrounds));
            Assert.Equal(20, valBackgrounds.Distinct().Count());
            // The carve takes as many backgrounds as digits (20 of 50): the 40 training digits cycle over the other 30.
            Assert.Equal(30, trainBackgrounds.Distinct().Count());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(NTrain)]
    [InlineData(NTrain + 1)]
    public void BadSizesAreOneLineErrorsNamingTheOption(int size)
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(58), gz: false, nTrain: NTrain, nTest: 7);
        var e = Assert.Throws<UserInputException>(() => DatasetRegistry.Load("mnist", tmp.Path, new DatasetLoadOptions { ValidationSize = size }));
        Assert.Contains($"--validation-size {size}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TrainConfigRefusesANegativeSizeAndPassesAPositiveOneToTheLoader()
    {
        var bad = new TrainConfig { ValidationSize = -1 };
        var e = Assert.Throws<UserInputException>(() => bad.Validate());
        Assert.Contains("--validation-size -1", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Null(TrainData.Options(new TrainConfig()).ValidationSize);
        Assert.Equal(25, TrainData.Options(new TrainConfig { ValidationSize = 25 }).ValidationSize);
    }
}
