using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.LinearSetting;

/// <summary>
/// A sample from <see cref="SyntheticDataConfig"/>: inputs X [n, d] (float64), labels, and the latent
/// per-example values that let <see cref="DrawViews"/> build augmented views (keep or redraw per group).
/// </summary>
public sealed class SyntheticDataset : IDisposable
{
    private SyntheticDataset(SyntheticDataConfig config, Tensor classIdx, Tensor subIdx, Tensor easyBits, Tensor diverse, Tensor noise)
    {
        Config = config;
        Layout = config.Layout;
        ClassLabels = classIdx;
        SubclassInClass = subIdx;
        EasyLabels = easyBits;
        DiverseValues = diverse;
        NoiseValues = noise;
        X = Compose(classIdx, subIdx, easyBits, diverse, noise);
    }

    /// <summary>The distribution this sample came from.</summary>
    public SyntheticDataConfig Config { get; }
    /// <summary>Where the features live.</summary>
    public FeatureLayout Layout { get; }
    /// <summary>Inputs, [n, d] float64.</summary>
    public Tensor X { get; }
    /// <summary>Number of examples.</summary>
    public long Count => X.shape[0];
    /// <summary>Class labels 0..K-1, [n] int64.</summary>
    public Tensor ClassLabels { get; }
    /// <summary>Subclass index inside the class 0..S-1, [n] int64.</summary>
    public Tensor SubclassInClass { get; }
    /// <summary>Global subclass id class*S + subclass (the "fine label"), [n] int64.</summary>
    public Tensor SubclassLabels => ClassLabels * Config.SubclassesPerClass + SubclassInClass;
    /// <summary>Easy irrelevant bits 0/1, [n, E] int64 (E = 0 columns when absent).</summary>
    public Tensor EasyLabels { get; }
    /// <summary>Diverse irrelevant vectors in their subspace, [n, m] float64.</summary>
    public Tensor DiverseValues { get; }
    /// <summary>Noise on the noise coordinates, [n, d - noiseStart] float64.</summary>
    public Tensor NoiseValues { get; }

    /// <summary>Draws <paramref name="n"/> examples from <paramref name="config"/> with <paramref name="generator"/>.</summary>
    public static SyntheticDataset Generate(SyntheticDataConfig config, int n, Generator generator)
    {
        config.Validate();
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one example");
        var idx = arange(n, dtype: ScalarType.Int64);                                            // [n]
        var classIdx = idx.remainder(config.Classes);                                             // [n] round robin: exact balance
        var subIdx = config.BalanceSubclassesExactly
            ? idx.div(config.Classes, rounding_mode: RoundingMode.floor).remainder(config.SubclassesPerClass)  // [n]
            : randint(0, config.SubclassesPerClass, new long[] { n }, dtype: ScalarType.Int64, generator: generator);
        var layout = config.Layout;
        var (easy, diverse, noise) = DrawIrrelevant(config, layout, n, generator);
        return new SyntheticDataset(config, classIdx, subIdx, easy, diverse, noise);
    }

    /// <summary>Draws a training set of <see cref="SyntheticDataConfig.N"/> and a test set of <see cref="SyntheticDataConfig.NTest"/> examples.</summary>
    public static (SyntheticDataset Train, SyntheticDataset Test) GenerateSplit(SyntheticDataConfig config, long seed)
    {
        var g = new Generator((ulong)seed);
        var train = Generate(config, config.N, g);
        var test = Generate(config, config.NTest, g);
        return (train, test);
    }

    /// <summary>
    /// Two augmented views of the examples <paramref name="rows"/> (all when null): each feature group is kept
    /// or redrawn independently per view according to the config's <see cref="AugmentationModel"/>.
    /// </summary>
    public (Tensor View1, Tensor View2) DrawViews(Generator generator, Tensor? rows = null)
    {
        var aug = Config.Augmentation;
        Tensor Pick(Tensor t) => rows is null ? t : t.index_select(0, rows);
        var cls = Pick(ClassLabels);
        long n = cls.shape[0];
        Tensor View()
        {
            var sub = aug.Subclass == FeatureAugmentation.Keep || Config.SubclassesPerClass == 1
                ? Pick(SubclassInClass)
                : randint(0, Config.SubclassesPerClass, new long[] { n }, dtype: ScalarType.Int64, generator: generator);
            // Draw only the groups that are redrawn (same distributions as DrawIrrelevant).
            var easy = aug.Easy == FeatureAugmentation.Keep || Layout.EasyDims == 0 ? Pick(EasyLabels) : DrawEasy(Layout, n, generator);
            var div = aug.Diverse == FeatureAugmentation.Keep || Layout.DiverseDims == 0 ? Pick(DiverseValues) : DrawDiverse(Config, Layout, n, generator);
            var noise = aug.Noise == FeatureAugmentation.Keep ? Pick(NoiseValues) : DrawNoise(Config, Layout, n, generator);
            return Compose(cls, sub, easy, div, noise);
        }
        return (View(), View());
    }

    private static (Tensor Easy, Tensor Diverse, Tensor Noise) DrawIrrelevant(SyntheticDataConfig c, FeatureLayout l, int n, Generator g) =>
        (DrawEasy(l, n, g), DrawDiverse(c, l, n, g), DrawNoise(c, l, n, g));

    private static Tensor DrawEasy(FeatureLayout l, long n, Generator g) =>
        l.EasyDims > 0 ? randint(0, 2, new long[] { n, l.EasyDims }, dtype: ScalarType.Int64, generator: g) : zeros(n, 0, dtype: ScalarType.Int64);  // [n, E]

    private static Tensor DrawDiverse(SyntheticDataConfig c, FeatureLayout l, long n, Generator g)
    {
        if (l.DiverseDims == 0) return zeros(n, 0, dtype: ScalarType.Float64);
        var raw = randn(new long[] { n, l.DiverseDims }, dtype: ScalarType.Float64, generator: g);                 // [n, m]
        return nn.functional.normalize(raw, p: 2, dim: 1) * c.DiverseNorm;                                          // uniform on the sphere of radius gamma
    }

    private static Tensor DrawNoise(SyntheticDataConfig c, FeatureLayout l, long n, Generator g) =>
        randn(new long[] { n, l.NoiseDims }, dtype: ScalarType.Float64, generator: g) * (c.NoiseSigma / Math.Sqrt(c.D));   // [n, d - start]

    /// <summary>±1 on one direction for binary labels, one-hot otherwise: [n, dims] float64.</summary>
    private static Tensor Code(Tensor idx, int values)
    {
        if (values == 2) return (1 - 2 * idx.to_type(ScalarType.Float64)).unsqueeze(1);            // [n, 1]
        return nn.functional.one_hot(idx, values).to_type(ScalarType.Float64);                       // [n, values]
    }

    private Tensor Compose(Tensor cls, Tensor sub, Tensor easy, Tensor diverse, Tensor noise)
    {
        var c = Config;
        var l = Layout;
        var parts = new List<Tensor> { Code(cls, c.Classes) * c.ClassStrength };                   // [n, classDims]
        if (l.SubclassDims > 0) parts.Add(Code(sub, c.SubclassesPerClass) * c.SubclassStrength);   // [n, subDims]
        if (l.EasyDims > 0) parts.Add((1 - 2 * easy.to_type(ScalarType.Float64)) * c.EasyStrength); // [n, E]
        if (l.DiverseDims > 0) parts.Add(diverse);                                                  // [n, m]
        parts.Add(noise);                                                                           // [n, d - start]
        return cat(parts.ToArray(), 1);                                                             // [n, d]
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        X.Dispose(); ClassLabels.Dispose(); SubclassInClass.Dispose(); EasyLabels.Dispose(); DiverseValues.Dispose(); NoiseValues.Dispose();
    }
}
