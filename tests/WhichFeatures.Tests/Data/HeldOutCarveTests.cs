using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// The rounds' held-out carves of the training split (src/WhichFeatures/Data/HeldOutCarve.cs) against the pilots'
/// validation carves as <see cref="NaiveEarlierDraws.Take"/> reconstructs them on its own (SplitMix64, Fisher-Yates and
/// the largest-remainder quotas, with the validation seed 20,231 written out here): disjoint from every one of them,
/// on CIFAR-10 from the first training file, and each later round's from the earlier rounds'; stratified like the training split; held out
/// of training; named in docs/real-experiments.md.
/// </summary>
public class HeldOutCarveTests
{
    private const long ValidationSeed = 20_231;   // Core/Seeds.ValidationCarve, written out
    private static readonly int[] PilotCarves = [2000, 5000];

    private static HeldOutCarve Carve(string round) => round switch { "round4" => HeldOutCarve.Round4, "round5" => HeldOutCarve.Round5, "round6" => HeldOutCarve.Round6, "round7" => HeldOutCarve.Round7, "round8" => HeldOutCarve.Round8, "round9" => HeldOutCarve.Round9, _ => throw new ArgumentException(round) };

    private static long[] SyntheticLabels(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)Math.Min(9, (int)(rng.NextDouble() * rng.NextDouble() * 20))).ToArray();
    }

    [Theory]
    [InlineData("round4", "mnist", 60_000, 1)]
    [InlineData("round4", "cifar10", 50_000, 2)]
    [InlineData("round5", "mnist", 60_000, 1)]
    [InlineData("round5", "cifar10", 50_000, 2)]
    [InlineData("round6", "mnist", 60_000, 1)]
    [InlineData("round6", "cifar10", 50_000, 2)]
    [InlineData("round7", "mnist", 60_000, 1)]
    [InlineData("round7", "cifar10", 50_000, 2)]
    [InlineData("round8", "mnist", 60_000, 1)]
    [InlineData("round8", "cifar10", 50_000, 2)]
    [InlineData("round9", "mnist", 60_000, 1)]
    [InlineData("round9", "cifar10", 50_000, 2)]
    public void On_any_labels_the_carve_avoids_every_pilot_carve_and_earlier_round_and_is_stratified_and_stable(string round, string split, int count, int seed)
    {
        var labels = SyntheticLabels(count, seed);
        CheckFreshStratifiedStable(Carve(round), split, labels, Carve(round).Indices(split, labels, 10));
    }

    [Fact]
    public void The_test_subset_kinds_name_their_carves_and_the_others_read_the_test_split()
    {
        Assert.Same(HeldOutCarve.Round4, HeldOutCarve.For(TestSubsetKind.Round4));
        Assert.Same(HeldOutCarve.Round5, HeldOutCarve.For(TestSubsetKind.Round5));
        Assert.Same(HeldOutCarve.Round6, HeldOutCarve.For(TestSubsetKind.Round6));
        Assert.Same(HeldOutCarve.Round7, HeldOutCarve.For(TestSubsetKind.Round7));
        Assert.Same(HeldOutCarve.Round8, HeldOutCarve.For(TestSubsetKind.Round8));
        Assert.Same(HeldOutCarve.Round9, HeldOutCarve.For(TestSubsetKind.Round9));
        Assert.Equal(("round4", 4_024L, (HeldOutCarve?)null), (HeldOutCarve.Round4.Name, HeldOutCarve.Round4.Seed, HeldOutCarve.Round4.Earlier));
        Assert.Equal(("round5", 5_024L, HeldOutCarve.Round4), (HeldOutCarve.Round5.Name, HeldOutCarve.Round5.Seed, HeldOutCarve.Round5.Earlier));
        Assert.Equal(("round6", 6_024L, HeldOutCarve.Round5), (HeldOutCarve.Round6.Name, HeldOutCarve.Round6.Seed, HeldOutCarve.Round6.Earlier));
        Assert.Equal(("round7", 7_024L, HeldOutCarve.Round6), (HeldOutCarve.Round7.Name, HeldOutCarve.Round7.Seed, HeldOutCarve.Round7.Earlier));
        Assert.Equal(("round8", 8_024L, HeldOutCarve.Round7), (HeldOutCarve.Round8.Name, HeldOutCarve.Round8.Seed, HeldOutCarve.Round8.Earlier));
        Assert.Equal(("round9", 9_024L, HeldOutCarve.Round8), (HeldOutCarve.Round9.Name, HeldOutCarve.Round9.Seed, HeldOutCarve.Round9.Earlier));
        foreach (var kind in new[] { TestSubsetKind.All, TestSubsetKind.Round3, TestSubsetKind.ExceptRound3 }) Assert.Null(HeldOutCarve.For(kind));
    }

    [Fact]
    public void Split_holds_the_carve_out_and_keeps_every_other_image_for_training()
    {
        var labels = SyntheticLabels(20_000, 3);
        var carve = HeldOutCarve.Round5.Indices(DatasetRegistry.Mnist, labels, 10);
        var (rest, heldOut) = HeldOutCarve.Round5.Split(DatasetRegistry.Mnist, Round3TestSubsetTests.LabelledSplit(labels));
        using (rest)
        using (heldOut)
        {
            Assert.Equal(carve, heldOut.SourceIndices.Select(i => (long)i));
            Assert.Equal(labels.Length - carve.Length, rest.Count);
            Assert.Empty(rest.SourceIndices.Select(i => (long)i).Intersect(carve));
            Assert.Equal(carve.Select(i => labels[i]), heldOut.LabelValues());
        }
    }

    [Fact]
    public void A_split_with_too_few_fresh_images_or_without_a_carve_is_refused_and_the_test_subset_selector_refuses_it()
    {
        var small = SyntheticLabels(6_000, 4);   // the 5,000-image validation carve leaves 1,000
        Assert.Contains("never-scored", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round4.Indices(DatasetRegistry.Mnist, small, 10)).Message);
        var enoughForOne = SyntheticLabels(7_500, 4);   // the validation carves leave 2,500: enough for round 4's 2,000, not for round 5's after it
        var enoughForTwo = SyntheticLabels(11_500, 4);   // 6,500 left: rounds 4 and 5 (2,000 each), not round 6's 5,000 after them
        Assert.Equal(2000, HeldOutCarve.Round5.Indices(DatasetRegistry.Mnist, enoughForTwo, 10).Length);
        Assert.Contains("round6", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round6.Indices(DatasetRegistry.Mnist, enoughForTwo, 10)).Message);
        var enoughForThree = SyntheticLabels(18_000, 4);   // 13,000 left: rounds 4 to 6 (9,000), not round 7's 5,000 after them
        Assert.Equal(5000, HeldOutCarve.Round6.Indices(DatasetRegistry.Mnist, enoughForThree, 10).Length);
        Assert.Contains("round7", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round7.Indices(DatasetRegistry.Mnist, enoughForThree, 10)).Message);
        var enoughForFour = SyntheticLabels(23_000, 4);   // 18,000 left: rounds 4 to 7 (14,000), not round 8's 5,000 after them
        Assert.Equal(5000, HeldOutCarve.Round7.Indices(DatasetRegistry.Mnist, enoughForFour, 10).Length);
        Assert.Contains("round8", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round8.Indices(DatasetRegistry.Mnist, enoughForFour, 10)).Message);
        var enoughForFive = SyntheticLabels(28_000, 4);   // 23,000 left: rounds 4 to 8 (19,000), not round 9's 5,000 after them
        Assert.Equal(5000, HeldOutCarve.Round8.Indices(DatasetRegistry.Mnist, enoughForFive, 10).Length);
        Assert.Contains("round9", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round9.Indices(DatasetRegistry.Mnist, enoughForFive, 10)).Message);
        Assert.Equal(2000, HeldOutCarve.Round4.Indices(DatasetRegistry.Mnist, enoughForOne, 10).Length);
        Assert.Contains("round5", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round5.Indices(DatasetRegistry.Mnist, enoughForOne, 10)).Message);
        Assert.Contains("fashion-mnist", Assert.Throws<WhichFeatures.Core.UserInputException>(() => HeldOutCarve.Round5.Indices(DatasetRegistry.FashionMnist, SyntheticLabels(60_000, 4), 10)).Message);
        using var test = Round3TestSubsetTests.LabelledSplit(SyntheticLabels(100, 4));
        Assert.Throws<ArgumentException>(() => Round3TestSubset.Select(TestSubsetKind.Round4, DatasetRegistry.Mnist, test));
        Assert.Throws<ArgumentException>(() => Round3TestSubset.Select(TestSubsetKind.Round5, DatasetRegistry.Mnist, test));
    }

    [SkippableTheory]
    [InlineData("round4", "mnist", "mnist")]
    [InlineData("round4", "cifar10", "cifar-10-batches-bin")]
    [InlineData("round5", "mnist", "mnist")]
    [InlineData("round5", "cifar10", "cifar-10-batches-bin")]
    [InlineData("round6", "mnist", "mnist")]
    [InlineData("round6", "cifar10", "cifar-10-batches-bin")]
    [InlineData("round7", "mnist", "mnist")]
    [InlineData("round7", "cifar10", "cifar-10-batches-bin")]
    [InlineData("round8", "mnist", "mnist")]
    [InlineData("round8", "cifar10", "cifar-10-batches-bin")]
    [InlineData("round9", "mnist", "mnist")]
    [InlineData("round9", "cifar10", "cifar-10-batches-bin")]
    public void On_the_shared_data_the_carve_is_fresh_held_out_and_named_in_the_docs(string round, string split, string folder)
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, folder)), $"../shared/data/{folder} not found");
        long[] labels;
        using (var train = DatasetRegistry.LoadSplit(split, shared!, DatasetSplit.Train)) labels = train.LabelValues();
        var carve = Carve(round).Indices(split, labels, 10);
        CheckFreshStratifiedStable(Carve(round), split, labels, carve);

        // A load of the round scores exactly the carve and trains on none of it.
        var (rest, heldOut) = DatasetRegistry.Load(split, shared!, new DatasetLoadOptions { TestSubset = Enum.Parse<TestSubsetKind>(round, ignoreCase: true) });
        using (rest)
        using (heldOut)
        {
            Assert.Equal(carve, heldOut.SourceIndices.Select(i => (long)i));
            Assert.Equal(labels.Length - carve.Length, rest.Count);
            Assert.Empty(rest.SourceIndices.Select(i => (long)i).Intersect(carve));
        }

        // The docs name it before any run: its size, the training split's never-scored images, and a fingerprint.
        int scored = Earlier(Carve(round), split, labels).Count;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", carve))))[..16];
        var row = string.Create(CultureInfo.InvariantCulture, $"| {split} (training split) | {carve.Length:N0} | {labels.Length - scored:N0} | {scored:N0} | `{hash}` |");
        Assert.True(File.ReadAllText(Path.Combine(Round3TestSubsetTests.RepositoryRoot(), "docs", "real-experiments.md")).Contains(row, StringComparison.Ordinal), $"docs/real-experiments.md lacks the row {row}");
    }

    [SkippableFact]
    public void Digits_on_backgrounds_and_the_pairs_are_scored_on_the_carves_of_their_sources()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, "mnist")) || !Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin")), "../shared/data not found");
        long[] mnist, cifar;
        using (var t = DatasetRegistry.LoadSplit(DatasetRegistry.Mnist, shared!, DatasetSplit.Train)) mnist = t.LabelValues();
        using (var t = DatasetRegistry.LoadSplit(DatasetRegistry.Cifar10, shared!, DatasetSplit.Train)) cifar = t.LabelValues();
        var options = new DatasetLoadOptions { TrainSize = 100, TestSubset = TestSubsetKind.Round6 };

        // Digits on backgrounds: one composed image per carved digit (source index = the MNIST training digit).
        var (train, test) = DatasetRegistry.Load(DatasetRegistry.DigitsOnBackgrounds, shared!, options);
        using (train) using (test)
            Assert.Equal(HeldOutCarve.Round6.Indices(DatasetRegistry.Mnist, mnist, 10), test.SourceIndices.Select(i => (long)i));
        // Marked pairs: CIFAR-10's carve, marked.
        (train, test) = DatasetRegistry.Load(DatasetRegistry.MarkedPairs, shared!, options);
        using (train) using (test)
        {
            Assert.Equal(HeldOutCarve.Round6.Indices(DatasetRegistry.Cifar10, cifar, 10), test.SourceIndices.Select(i => (long)i));
            Assert.Equal("marked-pairs/round6", test.Name);
        }
        // CIFAR-10 pairs: CIFAR-10's carve, class = pair, subclass = object.
        (train, test) = DatasetRegistry.Load(DatasetRegistry.Cifar10Pairs, shared!, options);
        using (train) using (test)
        {
            var carve = HeldOutCarve.Round6.Indices(DatasetRegistry.Cifar10, cifar, 10);
            Assert.Equal(carve, test.SourceIndices.Select(i => (long)i));
            Assert.Equal(carve.Select(i => cifar[i]), test.LabelValues(LabelKeys.Subclass));
            Assert.Equal(carve.Select(i => (long)Cifar10Pairs.Map.SuperclassOf[(int)cifar[i]]), test.LabelValues(LabelKeys.Class));
        }
    }

    private static HashSet<long> PilotUnion(string split, long[] labels)
    {
        var union = new HashSet<long>();
        foreach (int n in PilotCarves) union.UnionWith(NaiveEarlierDraws.Take(labels, 10, n, ValidationSeed));
        if (split == "cifar10") union.UnionWith(Enumerable.Range(0, 10_000).Select(i => (long)i));
        return union;
    }

    // What a carve must avoid: the pilot carves, CIFAR-10's first file, and every earlier round's carve (checked by
    // the same test, so each round's indices here are checked against the reconstruction before the next relies on them).
    private static HashSet<long> Earlier(HeldOutCarve carve, string split, long[] labels)
    {
        var union = PilotUnion(split, labels);
        for (var e = carve.Earlier; e is not null; e = e.Earlier) union.UnionWith(e.Indices(split, labels, 10));
        return union;
    }

    private static void CheckFreshStratifiedStable(HeldOutCarve round, string split, long[] labels, long[] carve)
    {
        Assert.Equal(round.Sizes[split], carve.Length);
        Assert.Equal(round == HeldOutCarve.Round4 || round == HeldOutCarve.Round5 ? 2000 : 5000, carve.Length);   // 5,000 from round 6
        Assert.Equal(carve.Length, carve.Distinct().Count());
        Assert.True(carve.SequenceEqual(carve.Order()), "in file order");
        var earlier = Earlier(round, split, labels);
        Assert.True(!carve.Any(earlier.Contains), $"{split}: {round.Name} shares images with a pilot's validation carve{(split == "cifar10" ? ", the first training file" : "")} or an earlier round's carve");
        for (int c = 0; c < 10; c++)
        {
            double exact = (double)carve.Length * labels.Count(l => l == c) / labels.Length;
            int got = carve.Count(i => labels[i] == c);
            Assert.True(Math.Abs(got - exact) < 1, $"class {c}: {got} images, share {exact:0.00}");
        }
        Assert.Equal(carve, round.Indices(split, [.. labels], 10));
    }
}
