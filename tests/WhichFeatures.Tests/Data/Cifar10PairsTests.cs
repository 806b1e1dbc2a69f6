using WhichFeatures.Core;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// CIFAR-10 pairs (src/WhichFeatures/Data/Cifar10Pairs.cs): every image's class is its object's pair as the pilots'
/// map file writes it (docs/pilots/cifar10-pairs5.json, read here on its own), its subclass the object, its pixels
/// CIFAR-10's; carves and bad options as for the other derived datasets.
/// </summary>
public class Cifar10PairsTests
{
    // docs/pilots/cifar10-pairs5.json, written out: pair name -> CIFAR-10 object ids.
    private static readonly (string Name, int[] Objects)[] PilotPairs =
        [("sky-sea", [0, 8]), ("road", [1, 9]), ("pets", [3, 5]), ("hoofed", [4, 7]), ("bird-frog", [2, 6])];

    [Fact]
    public void The_map_is_the_pilots_five_pairs_in_their_order_and_the_marked_pairs_share_it()
    {
        Assert.Equal(PilotPairs.Select(p => p.Name), Cifar10Pairs.Map.Names);
        for (int pair = 0; pair < PilotPairs.Length; pair++)
            foreach (int obj in PilotPairs[pair].Objects) Assert.Equal(pair, Cifar10Pairs.Map.SuperclassOf[obj]);
        Assert.Same(Cifar10Pairs.Map, MarkedPairs.Pairs);
        var file = Path.Combine(Round3TestSubsetTests.RepositoryRoot(), "docs", "pilots", "cifar10-pairs5.json");
        var fromFile = SuperclassMap.FromJsonFile(file, ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);
        Assert.Equal(Cifar10Pairs.Map.Names, fromFile.Names);
        Assert.Equal(Cifar10Pairs.Map.SuperclassOf, fromFile.SuperclassOf);
    }

    [Fact]
    public void The_registry_keeps_cifar10_s_pixels_with_the_pair_as_class_and_the_object_as_subclass()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var wc = DataTestFiles.WriteCifar10(tmp.Sub("cifar-10-batches-bin"), new Random(61), gz: false, n1: 30, n3: 20, nTest: 25);
        var (train, test) = DatasetRegistry.Load("cifar10-pairs", tmp.Path, new DatasetLoadOptions { Seed = 3 });
        using (train) using (test)
        {
            Assert.Equal((50L, 25L), (train.Count, test.Count));
            foreach (var (split, labels, pixels) in new[] { (train, wc.TrainLabels, wc.TrainPixels), (test, wc.TestLabels, wc.TestPixels) })
            {
                Assert.Equal(labels.Select(v => (long)v), split.LabelValues(LabelKeys.Subclass));
                var pairOf = PilotPairs.SelectMany((p, i) => p.Objects.Select(o => (o, i))).ToDictionary(x => x.o, x => (long)x.i);
                Assert.Equal(labels.Select(v => pairOf[v]), split.LabelValues(LabelKeys.Class));
                Assert.Equal(pixels, split.Images.data<byte>().ToArray());
                Assert.Equal(PilotPairs.Select(p => p.Name), split.Names(LabelKeys.Class));
            }
        }
        var (carved, validation) = DatasetRegistry.Load("cifar10-pairs", tmp.Path, new DatasetLoadOptions { ValidationSize = 10, TrainSize = 20 });
        using (carved) using (validation)
        {
            Assert.Equal((20L, 10L), (carved.Count, validation.Count));
            Assert.Empty(carved.SourceIndices.Intersect(validation.SourceIndices));
        }
        Assert.Contains("cifar10-pairs: superclasses are built in", Assert.Throws<UserInputException>(() =>
            DatasetRegistry.Load("cifar10-pairs", tmp.Path, new DatasetLoadOptions { Superclasses = true })).Message);
        Assert.True(DatasetRegistry.HasOwnSubclasses(DatasetRegistry.Canonical("CIFAR-10-pairs")));
        Assert.Equal([DatasetRegistry.Cifar10], DatasetCatalog.For("cifar10-pairs").Select(e => e.Name));
    }
}
