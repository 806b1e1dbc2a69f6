using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// Round 3's test subset (src/WhichFeatures/Data/Round3TestSubset.cs) against the earlier runs' draws as this file
/// reconstructs them on its own (<see cref="NaiveEarlierDraws"/>: SplitMix64, Fisher-Yates and the largest-remainder
/// quotas written out again, over the sizes the real suite's presets had): disjoint from every one of them, stratified
/// like the whole test split, the same on every call, and named in docs/real-experiments.md.
/// </summary>
public class Round3TestSubsetTests
{
    /// <summary>Synthetic class labels of a 10,000-image test split: unequal classes, in a seeded order.</summary>
    private static long[] SyntheticLabels(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, 10_000).Select(_ => (long)Math.Min(9, (int)(rng.NextDouble() * rng.NextDouble() * 20))).ToArray();
    }

    [Theory]
    [InlineData("mnist", 1)]
    [InlineData("cifar10", 2)]
    public void On_any_labels_the_subset_is_fresh_stratified_and_stable(string split, int seed)
    {
        var labels = SyntheticLabels(seed);
        var subset = Round3TestSubset.Indices(split, labels, 10);
        CheckFreshStratifiedStable(split, labels, subset);
        // The library's reconstruction of the earlier draws is the naive one.
        var scored = EarlierTestDraws.Scored(split, labels, 10);
        Assert.Equal(NaiveEarlierDraws.Union(split, labels, 10), Enumerable.Range(0, labels.Length).Where(i => scored[i]).Select(i => (long)i).ToHashSet());
    }

    [Fact]
    public void Today_s_stratified_draw_is_the_naive_one()
    {
        // Every earlier run drew with ImageDataset.TakeIndices; its quotas are now shared with the round-3 draw.
        var labels = SyntheticLabels(3);
        foreach (var (n, seed) in new[] { (5000, 1L), (1000, 2L), (401, 3L), (10_000, 4L) })
            Assert.Equal(NaiveEarlierDraws.Take(labels, 10, n, seed), ImageDataset.TakeIndices(labels, 10, n, seed, stratified: true));
    }

    [Fact]
    public void Except_round3_keeps_every_other_image_and_round3_exactly_its_subset()
    {
        var labels = SyntheticLabels(4);
        using var test = LabelledSplit(labels);
        var subset = Round3TestSubset.Indices(DatasetRegistry.Mnist, labels, 10);
        using var round3 = Round3TestSubset.Select(TestSubsetKind.Round3, DatasetRegistry.Mnist, test);
        using var rest = Round3TestSubset.Select(TestSubsetKind.ExceptRound3, DatasetRegistry.Mnist, test);
        Assert.Equal(subset, round3.SourceIndices.Select(i => (long)i));
        Assert.Equal(labels.Length - subset.Length, rest.Count);
        Assert.Empty(rest.SourceIndices.Select(i => (long)i).Intersect(subset));
        Assert.Same(test, Round3TestSubset.Select(TestSubsetKind.All, DatasetRegistry.Mnist, test));
    }

    [Fact]
    public void A_split_with_too_few_fresh_images_or_without_a_subset_is_refused()
    {
        var small = SyntheticLabels(5).Take(3000).ToArray();   // the earlier 2,000- and 5,000-image draws cover almost all of it
        Assert.Contains("never scored", Assert.Throws<WhichFeatures.Core.UserInputException>(() => Round3TestSubset.Indices(DatasetRegistry.Mnist, small, 10)).Message);
        Assert.Contains("fashion-mnist", Assert.Throws<WhichFeatures.Core.UserInputException>(() => Round3TestSubset.Indices(DatasetRegistry.FashionMnist, SyntheticLabels(5), 10)).Message);
    }

    [SkippableTheory]
    [InlineData("mnist", "mnist")]
    [InlineData("cifar10", "cifar-10-batches-bin")]
    public void On_the_shared_data_the_subset_is_fresh_stratified_stable_and_named_in_the_docs(string split, string folder)
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, folder)), $"../shared/data/{folder} not found");
        long[] labels;
        using (var test = DatasetRegistry.LoadSplit(split, shared!, DatasetSplit.Test)) labels = test.LabelValues();
        Assert.Equal(10_000, labels.Length);
        var subset = Round3TestSubset.Indices(split, labels, 10);
        CheckFreshStratifiedStable(split, labels, subset);

        // The docs name the subset before any run: its size, how many images were never scored, and a fingerprint.
        var scored = NaiveEarlierDraws.Union(split, labels, 10).Count;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", subset))))[..16];
        var row = string.Create(CultureInfo.InvariantCulture, $"| {split} | {subset.Length:N0} | {labels.Length - scored:N0} | {scored:N0} | `{hash}` |");
        Assert.Contains(row, File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "real-experiments.md")));
    }

    [SkippableFact]
    public void Loading_with_a_test_subset_scores_only_its_images_also_for_digits_on_backgrounds()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, "mnist")) || !Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin")), "../shared/data not found");
        long[] mnist;
        using (var t = DatasetRegistry.LoadSplit(DatasetRegistry.Mnist, shared!, DatasetSplit.Test)) mnist = t.LabelValues();
        var round3 = Round3TestSubset.Indices(DatasetRegistry.Mnist, mnist, 10).ToHashSet();

        var (train, test) = DatasetRegistry.Load(DatasetRegistry.Mnist, shared!, new DatasetLoadOptions { Superclasses = true, TrainSize = 100, TestSubset = TestSubsetKind.Round3 });
        using (train) using (test)
            Assert.Equal(round3.Order(), test.SourceIndices.Select(i => (long)i));
        // Digits on backgrounds: the round-3 digits (source index = the MNIST test digit).
        (train, test) = DatasetRegistry.Load(DatasetRegistry.DigitsOnBackgrounds, shared!, new DatasetLoadOptions { TrainSize = 100, TestSubset = TestSubsetKind.Round3 });
        using (train) using (test)
            Assert.Equal(round3.Order(), test.SourceIndices.Select(i => (long)i));
        // A smoke run's draw never reaches them, whatever its seed.
        foreach (int seed in new[] { 0, 1, 5 })
        {
            (train, test) = DatasetRegistry.Load(DatasetRegistry.Mnist, shared!, new DatasetLoadOptions { Seed = seed, TrainSize = 100, TestSize = 2000, TestSubset = TestSubsetKind.ExceptRound3 });
            using (train) using (test)
            {
                Assert.Equal(2000, test.Count);
                Assert.DoesNotContain(test.SourceIndices, i => round3.Contains(i));
            }
        }
        Assert.Contains("validation", Assert.Throws<WhichFeatures.Core.UserInputException>(() =>
            DatasetRegistry.Load(DatasetRegistry.Mnist, shared!, new DatasetLoadOptions { ValidationSize = 100, TestSubset = TestSubsetKind.Round3 })).Message);
    }

    private static void CheckFreshStratifiedStable(string split, long[] labels, long[] subset)
    {
        Assert.Equal(Round3TestSubset.Sizes[split], subset.Length);
        Assert.Equal(subset.Length, subset.Distinct().Count());
        Assert.True(subset.SequenceEqual(subset.Order()), "in file order");
        // Disjoint from every earlier draw of every seed, each reconstructed on its own.
        foreach (var (size, backgrounds) in NaiveEarlierDraws.Sizes(split))
            foreach (int seed in NaiveEarlierDraws.Seeds)
            {
                var earlier = backgrounds ? NaiveEarlierDraws.Backgrounds(labels.Length, size, seed + 1) : NaiveEarlierDraws.Take(labels, 10, size, seed + 1);
                Assert.True(!earlier.Intersect(subset).Any(), $"{split}: round 3 shares images with the {size}-image {(backgrounds ? "background" : "test")} draw of seed {seed}");
            }
        // Stratified like the whole split: each class within one image of its share.
        for (int c = 0; c < 10; c++)
        {
            double exact = (double)subset.Length * labels.Count(l => l == c) / labels.Length;
            int got = subset.Count(i => labels[i] == c);
            Assert.True(Math.Abs(got - exact) < 1, $"class {c}: {got} images, share {exact:0.00}");
        }
        Assert.Equal(subset, Round3TestSubset.Indices(split, labels, 10));
        Assert.Equal(subset, Round3TestSubset.Indices(split, [.. labels], 10));
    }

    /// <summary>A split of tiny blank images with <paramref name="labels"/> as its classes 0-9 (also for HeldOutCarveTests).</summary>
    internal static ImageDataset LabelledSplit(long[] labels)
    {
        var images = TorchSharp.torch.zeros([labels.Length, 1, 2, 2], TorchSharp.torch.ScalarType.Byte);
        var names = Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        return new ImageDataset("synthetic/test", images,
            new Dictionary<string, TorchSharp.torch.Tensor> { [LabelKeys.Class] = TorchSharp.torch.tensor(labels) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = names });
    }

    /// <summary>The repository's root folder, found above the test binaries (also for HeldOutCarveTests).</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "real-experiments.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "WhichFeatures")))
                return dir.FullName;
        throw new DirectoryNotFoundException("the repository (docs/real-experiments.md) not found above the test binaries");
    }
}

/// <summary>
/// The real suite's test draws before round 3, written out again from the presets' history (not from
/// Data/EarlierTestDraws.cs): the sizes of every preset's test subsets and of digits on backgrounds' CIFAR-10
/// backgrounds, each drawn per seed with seed + 1 (SplitMix64 as in Data/SeededRandom.cs).
/// </summary>
internal static class NaiveEarlierDraws
{
    public static readonly int[] Seeds = [0, 1, 2];

    /// <summary>(size, backgrounds) of every draw from <paramref name="split"/>'s test images.</summary>
    public static IEnumerable<(int Size, bool Backgrounds)> Sizes(string split) => split switch
    {
        // First suite: 2,000, then 1,000 (default), 1,000 / 500 / 400 (--quick) for digits; rebuilt: MNIST-RandBit
        // 5,000 / 2,000, digits 2,000 then 1,000 / 1,000 then 400, CC curve 1,000 / 1,000, joint 2,000 / 1,000.
        "mnist" => [(5000, false), (2000, false), (1000, false), (500, false), (400, false)],
        // First suite: every CIFAR-10 experiment and digits' backgrounds at 2,000 / 1,000 / 500 / 400; rebuilt:
        // CIFAR10-RandBit 2,000 / 1,000, digits' backgrounds 2,000 then 1,000 / 1,000 then 400.
        "cifar10" => [(2000, false), (1000, false), (500, false), (400, false), (2000, true), (1000, true), (500, true), (400, true)],
        _ => [],
    };

    public static HashSet<long> Union(string split, long[] labels, int classes)
    {
        var union = new HashSet<long>();
        foreach (var (size, backgrounds) in Sizes(split))
            foreach (int seed in Seeds)
                union.UnionWith(backgrounds ? Backgrounds(labels.Length, size, seed + 1) : Take(labels, classes, Math.Min(size, labels.Length), seed + 1));
        return union;
    }

    /// <summary>The first <paramref name="size"/> of a seeded shuffle of all images (the backgrounds of the first <paramref name="size"/> digits).</summary>
    public static long[] Backgrounds(int count, int size, long seed)
    {
        var rng = new SplitMix(seed);
        var pass = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        rng.Shuffle(pass);
        return pass.Take(size).ToArray();
    }

    /// <summary>A stratified draw: floor of each class's share, the leftover by largest remainder; each class shuffled in turn with one generator.</summary>
    public static long[] Take(long[] labels, int classes, int n, long seed)
    {
        var members = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).Select(i => (long)i).ToArray()).ToArray();
        var quota = members.Select(m => (long)Math.Floor((double)n * m.Length / labels.Length)).ToArray();
        var remainders = Enumerable.Range(0, classes).Select(c => (double)n * members[c].Length / labels.Length - quota[c]).ToArray();
        long left = n - quota.Sum();
        foreach (int c in Enumerable.Range(0, classes).OrderByDescending(c => remainders[c]).ThenBy(c => c))
            if (left > 0 && quota[c] < members[c].Length) { quota[c]++; left--; }
        var rng = new SplitMix(seed);
        var chosen = new List<long>();
        for (int c = 0; c < classes; c++)
        {
            rng.Shuffle(members[c]);
            chosen.AddRange(members[c].Take((int)quota[c]));
        }
        return [.. chosen.Order()];
    }

    private sealed class SplitMix(long seed)
    {
        private ulong _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);

        private ulong Next()
        {
            _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
            ulong z = _state;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }

        private long Below(long n)
        {
            ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)n, r;
            do r = Next(); while (r >= limit);
            return (long)(r % (ulong)n);
        }

        public void Shuffle(long[] items)
        {
            for (int i = items.Length - 1; i > 0; i--)
            {
                long j = Below(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
