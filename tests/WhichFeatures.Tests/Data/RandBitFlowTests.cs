using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// RandBit's bits come from the image alone: the same in both augmented views, the same whatever the augmentation
/// draw, and the same for the same image in the test split (which is how a probe can read them off test images).
/// </summary>
[Collection("torch")]
public class RandBitFlowTests
{
    private const int K = 5, N = 12, Size = 10;

    private static ImageDataset Plain(int seed)
    {
        var pixels = DataTestFiles.RandomBytes(new Random(seed), N * 3 * Size * Size);
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(Enumerable.Range(0, N).Select(i => (long)(i % 3)).ToArray()) };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = new NumberedLabelNames(3) };
        return new ImageDataset("plain", tensor(pixels, [N, 3, Size, Size], dtype: ScalarType.Byte), labels, names);
    }

    /// <summary>The RandBit channels (the last k) of prepared input [B, C + k, H, W] as [B, k, H*W] floats.</summary>
    private static float[][][] BitPlanes(Tensor x)
    {
        var planes = x.narrow(1, 3, K).contiguous().reshape(x.shape[0], K, -1);            // [B, k, H*W]
        return Enumerable.Range(0, (int)x.shape[0]).Select(i => Enumerable.Range(0, K)
            .Select(j => planes[i, j].data<float>().ToArray()).ToArray()).ToArray();
    }

    [Fact]
    public void BitsAreIdenticalInBothViewsAndIndependentOfTheAugmentationDraw()
    {
        using var plain = Plain(1);
        using var ds = RandBit.Apply(plain, K);
        using var input = new ModelInput(ds, CPU);
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Strong);
        var values = ds.LabelValues(LabelKeys.RandBit);
        using var scope = NewDisposeScope();

        var prepared = new List<Tensor>();
        float[]? firstImageChannels = null;
        bool imageChannelsDiffer = false;
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            using var g = new Generator(seed);
            var (v1, v2) = pipeline.TwoViews(ds.Images, g);                                    // float [N, 3, H, W] each
            foreach (var v in new[] { v1, v2 })
            {
                var x = input.Prepare(v, ds.ExtraChannels);                                     // [N, 3 + k, H, W]
                prepared.Add(x);
                var img = x.narrow(1, 0, 3).contiguous().data<float>().ToArray();
                if (firstImageChannels is null) firstImageChannels = img;
                else imageChannelsDiffer |= !img.AsSpan().SequenceEqual(firstImageChannels);
            }
        }
        Assert.True(imageChannelsDiffer, "the augmentation draws were all the same; the test would prove nothing");

        // Expected planes: bit j of the image's value, constant over the image.
        foreach (var x in prepared)
        {
            var planes = BitPlanes(x);
            for (int i = 0; i < N; i++)
            for (int j = 0; j < K; j++)
                Assert.All(planes[i][j], v => Assert.Equal((float)((values[i] >> j) & 1), v));
        }
    }

    [Fact]
    public void BitsComeFromTheImageAloneInEverySplit()
    {
        using var plain = Plain(2);
        using var train = RandBit.Apply(plain, K);
        // A "test split" holding some of the same images in another order, loaded on its own.
        var order = new long[] { 7, 3, 11, 0, 5 };
        using var testPlain = plain.Subset(order);
        using var test = RandBit.Apply(testPlain, K);
        var trainValues = train.LabelValues(LabelKeys.RandBit);
        var testValues = test.LabelValues(LabelKeys.RandBit);
        for (int t = 0; t < order.Length; t++)
            Assert.Equal(trainValues[order[t]], testValues[t]);

        // The value is the image hash, whatever the seed (the seed only matters for the seeded-random source).
        var pixels = plain.Images.contiguous().data<byte>().ToArray();
        int per = 3 * Size * Size;
        for (int i = 0; i < N; i++)
            Assert.Equal((long)(RandBit.HashImage(pixels.AsSpan(i * per, per)) & ((1UL << K) - 1)), trainValues[i]);
        Assert.Equal(RandBit.Values(plain, K, RandBitSource.ImageHash, seed: 1), RandBit.Values(plain, K, RandBitSource.ImageHash, seed: 99));
        Assert.True(trainValues.Distinct().Count() > 3, "hash values collapsed; the test would prove little");

        // Test images get the same planes as the same training images (the feature extractor's path).
        using var input = new ModelInput(train, CPU);
        using var scope = NewDisposeScope();
        var trainPlanes = BitPlanes(input.Prepare(ImageTensors.ToFloat(train.Images), train.ExtraChannels));
        var testPlanes = BitPlanes(input.Prepare(ImageTensors.ToFloat(test.Images), test.ExtraChannels));
        for (int t = 0; t < order.Length; t++)
        for (int j = 0; j < K; j++)
            Assert.Equal(trainPlanes[order[t]][j], testPlanes[t][j]);
    }

    [Fact]
    public void ChangingOnePixelChangesTheBitsSoTheyAreAboutTheImage()
    {
        using var plain = Plain(3);
        var before = RandBit.Values(plain, 16);
        var pixels = plain.Images.contiguous().data<byte>().ToArray();
        int changed = 0;
        for (int i = 0; i < N; i++)
        {
            var copy = pixels.AsSpan(i * 300, 300).ToArray();
            copy[17] ^= 1;
            if ((long)(RandBit.HashImage(copy) & 0xFFFF) != before[i]) changed++;
        }
        Assert.True(changed >= N - 1, $"a one-bit pixel change moved only {changed} of {N} RandBit values");
    }
}
