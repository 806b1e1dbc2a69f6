using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>
/// The synthetic data model as documented in <see cref="SyntheticDataConfig"/>: feature groups in the order class,
/// subclass, easy, diverse, noise, each present only when it has a strength, with binary labels on one direction and
/// L-valued labels one-hot on L directions; every validation boundary; views that redraw exactly the groups asked.
/// </summary>
[Collection("torch")]
public class LinearSettingDataContractTests
{
    private static bool Eq(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>The code of a label as documented: ±1 (value 0 → +1) for two values, one-hot otherwise, [n, dims].</summary>
    private static Tensor DocumentedCode(Tensor idx, int values) => values == 2
        ? where(idx.eq(0), 1.0, -1.0).to_type(ScalarType.Float64).unsqueeze(1)
        : nn.functional.one_hot(idx, values).to_type(ScalarType.Float64);

    public static IEnumerable<object[]> Layouts() => new[]
    {
        // classes, subclasses, b, c, easy count, m, gamma
        new object[] { 3, 3, 0.5, 2.0, 2, 4, 1.5 },
        new object[] { 2, 2, 0.5, 1.0, 1, 3, 2.0 },
        new object[] { 2, 1, 0.5, 0.0, 3, 5, 0.0 },   // one subclass: no subclass directions even with b > 0; c = 0: no easy bits; gamma = 0: no diverse subspace
        new object[] { 4, 2, 0.0, 1.0, 3, 0, 2.0 },   // b = 0: no subclass directions; m = 0: no diverse subspace
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EachFeatureGroupSitsOnItsOwnCoordinatesInTheDocumentedOrder(int classes, int subclasses, double b, double c, int easyCount, int m, double gamma)
    {
        var cfg = new SyntheticDataConfig
        {
            Classes = classes, SubclassesPerClass = subclasses, N = 24, NTest = 8, D = 30, ClassStrength = 1.25, SubclassStrength = b,
            EasyStrength = c, EasyCount = easyCount, DiverseDims = m, DiverseNorm = gamma, NoiseSigma = 1,
        };
        var ds = SyntheticDataset.Generate(cfg, 24, new Generator(6));
        var l = cfg.Layout;
        int classDims = classes == 2 ? 1 : classes;
        int subDims = subclasses > 1 && b > 0 ? (subclasses == 2 ? 1 : subclasses) : 0;
        int easyDims = c > 0 ? easyCount : 0;
        int divDims = gamma > 0 ? m : 0;
        Assert.Equal((0, classDims), (l.ClassStart, l.ClassDims));
        Assert.Equal((classDims, subDims), (l.SubclassStart, l.SubclassDims));
        Assert.Equal((classDims + subDims, easyDims), (l.EasyStart, l.EasyDims));
        Assert.Equal((classDims + subDims + easyDims, divDims), (l.DiverseStart, l.DiverseDims));
        Assert.Equal(classDims + subDims + easyDims + divDims, l.NoiseStart);
        Assert.Equal(30 - l.NoiseStart, l.NoiseDims);

        var x = ds.X;
        Assert.Equal(new long[] { 24, 30 }, x.shape);
        Assert.True(Eq(x[.., ..classDims], DocumentedCode(ds.ClassLabels, classes) * 1.25));
        if (subDims > 0) Assert.True(Eq(x[.., l.SubclassStart..(l.SubclassStart + subDims)], DocumentedCode(ds.SubclassInClass, subclasses) * b));
        if (easyDims > 0) Assert.True(Eq(x[.., l.EasyStart..(l.EasyStart + easyDims)], where(ds.EasyLabels.eq(0), c, -c).to_type(ScalarType.Float64)));
        if (divDims > 0) Assert.True((x[.., l.DiverseStart..(l.DiverseStart + divDims)].norm(1) - gamma).abs().max().ToDouble() < 1e-12);
        Assert.True(Eq(x[.., l.NoiseStart..], ds.NoiseValues));
        Assert.True(Eq(ds.SubclassLabels, ds.ClassLabels * subclasses + ds.SubclassInClass));
        Assert.Equal(24, ds.Count);
    }

    [Fact]
    public void BasisVectorIsTheUnitVectorOfOneCoordinate()
    {
        var l = new SyntheticDataConfig { D = 9 }.Layout;
        foreach (var k in new[] { 0, 4, 8 })
        {
            var e = l.BasisVector(k);
            Assert.Equal(new long[] { 9 }, e.shape);
            Assert.Equal(1.0, e[k].ToDouble());
            Assert.Equal(1.0, e.sum().ToDouble());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => l.BasisVector(-1));
        Assert.Contains("[0, 9)", Assert.Throws<ArgumentOutOfRangeException>(() => l.BasisVector(9)).Message);
    }

    private static readonly SyntheticDataConfig Small = new() { N = 12, NTest = 4, D = 12 };

    [Fact]
    public void EveryBoundaryIsAcceptedAndEveryValueBeyondItIsRefusedByName()
    {
        // Accepted: each parameter at its smallest allowed value (and the divisibility rule met).
        var accepted = new[]
        {
            Small with { Classes = 2 }, Small with { SubclassesPerClass = 1 }, Small with { N = 2 }, Small with { Classes = 3, N = 3 },
            Small with { NTest = 4 }, Small with { ClassStrength = 1e-9 }, Small with { SubclassStrength = 0 }, Small with { EasyStrength = 0 },
            Small with { EasyCount = 1 }, Small with { DiverseDims = 0 }, Small with { DiverseNorm = 0 }, Small with { NoiseSigma = 0 },
            Small with { BalanceSubclassesExactly = true, Classes = 2, SubclassesPerClass = 3 }, Small with { N = 13 },
            Small with { D = 3 },                                   // class and subclass take 2 coordinates: one left for noise
        };
        foreach (var c in accepted) Assert.Same(c, c.Validate());
        var refused = new (SyntheticDataConfig Config, string Option)[]
        {
            (Small with { Classes = 1 }, "--classes"), (Small with { SubclassesPerClass = 0 }, "--subclasses"), (Small with { N = 1 }, "--n"),
            (Small with { Classes = 4, N = 3 }, "--n"), (Small with { NTest = 3 }, "--n-test"),
            (Small with { ClassStrength = 0 }, "--a"), (Small with { ClassStrength = double.PositiveInfinity }, "--a"), (Small with { ClassStrength = double.NaN }, "--a"),
            (Small with { SubclassStrength = -0.1 }, "--b"), (Small with { SubclassStrength = double.PositiveInfinity }, "--b"), (Small with { SubclassStrength = double.NaN }, "--b"),
            (Small with { EasyStrength = -0.1 }, "--c"), (Small with { EasyStrength = double.PositiveInfinity }, "--c"),
            (Small with { EasyCount = 0 }, "--easy-count"), (Small with { DiverseDims = -1 }, "--m"),
            (Small with { DiverseNorm = -1 }, "--gamma"), (Small with { DiverseNorm = double.PositiveInfinity }, "--gamma"),
            (Small with { NoiseSigma = -1 }, "--sigma"), (Small with { NoiseSigma = double.PositiveInfinity }, "--sigma"),
            (Small with { BalanceSubclassesExactly = true, Classes = 2, SubclassesPerClass = 4 }, "--n"),
            (Small with { D = 2 }, "--d"),
        };
        foreach (var (c, option) in refused)
        {
            var e = Assert.Throws<UserInputException>(() => c.Validate());
            Assert.Contains(option + " ", e.Message.Replace("(", " ").Replace(")", " "));
        }
        // The divisibility message names the product it needs.
        Assert.Contains("(8)", Assert.Throws<UserInputException>(() => (Small with { BalanceSubclassesExactly = true, Classes = 2, SubclassesPerClass = 4 }).Validate()).Message);
        // Generation validates too, and needs at least one example.
        Assert.Throws<UserInputException>(() => SyntheticDataset.Generate(Small with { Classes = 1 }, 5, new Generator(1)));
        Assert.Contains("at least one example", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDataset.Generate(Small, 0, new Generator(1))).Message);
        Assert.Equal(1, SyntheticDataset.Generate(Small, 1, new Generator(1)).Count);
    }

    [Theory]
    [InlineData("subclass")]
    [InlineData("easy")]
    [InlineData("diverse")]
    public void RedrawingOneGroupChangesOnlyThatGroupAndKeepsItsDistribution(string group)
    {
        var aug = AugmentationModel.Identity with
        {
            Subclass = group == "subclass" ? FeatureAugmentation.Redraw : FeatureAugmentation.Keep,
            Easy = group == "easy" ? FeatureAugmentation.Redraw : FeatureAugmentation.Keep,
            Diverse = group == "diverse" ? FeatureAugmentation.Redraw : FeatureAugmentation.Keep,
        };
        var cfg = new SyntheticDataConfig
        {
            Classes = 2, SubclassesPerClass = 3, N = 40, NTest = 4, D = 20, SubclassStrength = 0.5, EasyStrength = 2, EasyCount = 2,
            DiverseDims = 3, DiverseNorm = 1.5, Augmentation = aug,
        };
        var ds = SyntheticDataset.Generate(cfg, 40, new Generator(1));
        var l = cfg.Layout;
        var (start, dims) = group switch
        {
            "subclass" => (l.SubclassStart, l.SubclassDims),
            "easy" => (l.EasyStart, l.EasyDims),
            _ => (l.DiverseStart, l.DiverseDims),
        };
        var (v1, v2) = ds.DrawViews(new Generator(2));
        var outside = tensor(Enumerable.Range(0, 20).Where(j => j < start || j >= start + dims).Select(j => (long)j).ToArray());
        foreach (var v in new[] { v1, v2 })
        {
            Assert.True(Eq(v.index_select(1, outside), ds.X.index_select(1, outside)), $"{group}: another group changed");
            Assert.False(Eq(v[.., start..(start + dims)], ds.X[.., start..(start + dims)]), $"{group}: not redrawn");
            var part = v[.., start..(start + dims)];
            if (group == "subclass") Assert.True(Eq(part.abs().sum(1), full(40, 0.5, dtype: ScalarType.Float64)), "a redrawn subclass is one-hot x b");
            if (group == "easy") Assert.True(Eq(part.abs(), full(40, 2, 2.0, dtype: ScalarType.Float64)), "a redrawn easy bit is ±c");
            if (group == "diverse") Assert.True((part.norm(1) - 1.5).abs().max().ToDouble() < 1e-12, "a redrawn diverse vector has norm gamma");
        }
        Assert.False(Eq(v1[.., start..(start + dims)], v2[.., start..(start + dims)]), $"{group}: the two views share the redraw");
    }

    [Fact]
    public void SubclassesAreRandomUnlessExactBalanceIsAsked()
    {
        // Exact balance is a fixed pattern; otherwise each example's subclass is drawn, so two seeds differ.
        var random = new SyntheticDataConfig { N = 40, NTest = 4, D = 12 };
        var balanced = random with { BalanceSubclassesExactly = true };
        var a = SyntheticDataset.Generate(random, 40, new Generator(1));
        var b = SyntheticDataset.Generate(random, 40, new Generator(2));
        Assert.False(Eq(a.SubclassInClass, b.SubclassInClass));
        Assert.True(Eq(SyntheticDataset.Generate(balanced, 40, new Generator(1)).SubclassInClass, SyntheticDataset.Generate(balanced, 40, new Generator(2)).SubclassInClass));
    }

    [Fact]
    public void DisposeFreesEveryTensor()
    {
        var ds = SyntheticDataset.Generate(new SyntheticDataConfig { N = 4, NTest = 4, D = 12, EasyStrength = 1, DiverseDims = 2, DiverseNorm = 1 }, 4, new Generator(1));
        var tensors = new[] { ds.X, ds.ClassLabels, ds.SubclassInClass, ds.EasyLabels, ds.DiverseValues, ds.NoiseValues };
        ds.Dispose();
        Assert.All(tensors, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void ViewsOfChosenRowsAreThoseRows()
    {
        var cfg = new SyntheticDataConfig { N = 8, NTest = 4, D = 10, EasyStrength = 1, Augmentation = AugmentationModel.Identity };
        var ds = SyntheticDataset.Generate(cfg, 8, new Generator(1));
        var rows = tensor(new long[] { 5, 1, 5 });
        var (v1, v2) = ds.DrawViews(new Generator(2), rows);
        Assert.True(Eq(v1, ds.X.index_select(0, rows)) && Eq(v2, v1));
    }
}
