using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>The data model: layout, balance, seeding, and the keep/redraw semantics of the views.</summary>
[Collection("torch")]
public class SyntheticDataTests
{
    private static bool Eq(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static SyntheticDataConfig Cfg(AugmentationModel aug) => new()
    {
        N = 24, NTest = 8, D = 64, SubclassStrength = 0.5, EasyStrength = 2, EasyCount = 2, DiverseDims = 10, DiverseNorm = 3,
        NoiseSigma = 1, BalanceSubclassesExactly = true, Augmentation = aug,
    };

    [Fact]
    public void FeaturesSitOnTheirCoordinatesWithTheirStrengths()
    {
        var cfg = Cfg(AugmentationModel.Imperfect);
        var ds = SyntheticDataset.Generate(cfg, 24, new Generator(1));
        var l = cfg.Layout;
        Assert.Equal((0, 1, 1, 1, 2, 2, 4, 10, 14), (l.ClassStart, l.ClassDims, l.SubclassStart, l.SubclassDims, l.EasyStart, l.EasyDims, l.DiverseStart, l.DiverseDims, l.NoiseStart));
        var x = ds.X;
        Assert.True((x[.., 0].abs() - 1.0).abs().max().ToDouble() < 1e-15);                            // class ±a
        Assert.True((x[.., 1].abs() - 0.5).abs().max().ToDouble() < 1e-15);                            // subclass ±b
        Assert.True((x[.., 2..4].abs() - 2.0).abs().max().ToDouble() < 1e-15);                          // easy ±c
        Assert.True((x[.., 4..14].norm(1) - 3.0).abs().max().ToDouble() < 1e-12);                      // diverse norm gamma
        // Class sign matches the label; exact balance: 6 examples per (class, subclass).
        Assert.True(x[.., 0].eq(1 - 2 * ds.ClassLabels.to_type(ScalarType.Float64)).all().ToBoolean());
        var counts = nn.functional.one_hot(ds.SubclassLabels, 4).sum(dim: 0).data<long>().ToArray();
        Assert.All(counts, c => Assert.Equal(6, c));
        // Noise variance ≈ sigma²/d.
        double var = ds.NoiseValues.pow(2).mean().ToDouble();
        Assert.InRange(var * cfg.D, 0.7, 1.3);
    }

    [Fact]
    public void SameSeedSameDataDifferentSeedDifferentData()
    {
        var cfg = Cfg(AugmentationModel.Imperfect);
        var (a, _) = SyntheticDataset.GenerateSplit(cfg, 5);
        var (b, _) = SyntheticDataset.GenerateSplit(cfg, 5);
        var (c, _) = SyntheticDataset.GenerateSplit(cfg, 6);
        Assert.True(Eq(a.X, b.X));
        Assert.False(Eq(a.X, c.X));
    }

    [Fact]
    public void ViewsKeepOrRedrawEachGroup()
    {
        var imperfect = SyntheticDataset.Generate(Cfg(AugmentationModel.Imperfect), 24, new Generator(2));
        var (v1, v2) = imperfect.DrawViews(new Generator(3));
        Assert.True(Eq(v1[.., ..14], v2[.., ..14]));                  // class, subclass, easy, diverse kept
        Assert.True(Eq(v1[.., ..14], imperfect.X[.., ..14]));
        Assert.False(Eq(v1[.., 14..], v2[.., 14..]));                 // noise redrawn
        var perfect = SyntheticDataset.Generate(Cfg(AugmentationModel.Perfect), 24, new Generator(2));
        var (p1, p2) = perfect.DrawViews(new Generator(3));
        Assert.True(Eq(p1[.., ..2], p2[.., ..2]));                    // class and subclass kept
        Assert.False(Eq(p1[.., 4..14], p2[.., 4..14]));              // diverse redrawn
        var identity = SyntheticDataset.Generate(Cfg(AugmentationModel.Identity), 24, new Generator(2));
        var (i1, i2) = identity.DrawViews(new Generator(3));
        Assert.True(Eq(i1, identity.X) && Eq(i2, identity.X));
    }

    [Fact]
    public void InvalidConfigsNameTheParameter()
    {
        Assert.Contains("--d", Assert.Throws<UserInputException>(() => (Cfg(AugmentationModel.Imperfect) with { D = 14 }).Validate()).Message);
        Assert.Contains("--n", Assert.Throws<UserInputException>(() => (Cfg(AugmentationModel.Imperfect) with { N = 25 }).Validate()).Message);
        Assert.Contains("--sigma", Assert.Throws<UserInputException>(() => (Cfg(AugmentationModel.Imperfect) with { NoiseSigma = -1 }).Validate()).Message);
        Assert.Contains("--p", Assert.Throws<UserInputException>(() => new TrainingSetup { P = 0 }.Validate()).Message);
        Assert.Contains("--beta", Assert.Throws<UserInputException>(() => new TrainingSetup { Beta = -0.1 }.Validate()).Message);
    }

    [Fact]
    public void LdaProbeSeparatesFourClassesOnALineAndIsChanceOnNoise()
    {
        var g = new Generator(4);
        var y = randint(0, 4, new long[] { 400 }, dtype: ScalarType.Int64, generator: g);
        var z = (y.to_type(ScalarType.Float64) * 3 + randn(new long[] { 400 }, dtype: ScalarType.Float64, generator: g) * 0.3).unsqueeze(1);  // [400, 1]
        Assert.True(LinearDiscriminantProbe.Accuracy(z[..200], y[..200], z[200..], y[200..], 4) > 0.98);   // least-squares one-vs-rest fails here
        var noise = randn(new long[] { 400, 3 }, dtype: ScalarType.Float64, generator: g);
        Assert.InRange(LinearDiscriminantProbe.Accuracy(noise[..200], y[..200], noise[200..], y[200..], 4), 0.1, 0.4);
        // Scale invariance.
        Assert.Equal(LinearDiscriminantProbe.Accuracy(z[..200], y[..200], z[200..], y[200..], 4), LinearDiscriminantProbe.Accuracy(z[..200] * 1e-6, y[..200], z[200..] * 1e-6, y[200..], 4));
    }
}
