namespace WhichFeatures.Core;

/// <summary>
/// The one home of seed derivation: every random stream of a run is derived here from the run's seed, so the
/// streams are distinct and a change of derivation is one edit. Values are those the results were produced with;
/// changing any of them changes every reproduced number.
/// </summary>
public static class Seeds
{
    /// <summary>
    /// Stride between the streams derived from consecutive run seeds (a prime larger than any epoch count or offset
    /// used here, so seed * stride + offset never collides across seeds).
    /// </summary>
    public const long Stride = 1_000_003;

    /// <summary>Offset of an epoch's augmentation stream from its shuffle stream.</summary>
    public const long AugmentationOffset = 500_009;

    /// <summary>Seed of the generator that shuffles epoch <paramref name="epoch"/> of a training run.</summary>
    public static ulong EpochShuffle(long seed, int epoch) => (ulong)(seed * Stride + epoch);

    /// <summary>Seed of the generator that draws epoch <paramref name="epoch"/>'s augmentations.</summary>
    public static ulong EpochAugmentation(long seed, int epoch) => (ulong)(seed * Stride + epoch + AugmentationOffset);

    /// <summary>Seed of the test-split subset draw (the training subset uses the run seed itself).</summary>
    public static long TestSubset(long seed) => seed + 1;

    /// <summary>Seed of <c>diagnose</c>'s stratified fold assignment (Diagnosis/StratifiedFolds).</summary>
    public static int DiagnosisFolds(int seed) => seed;

    /// <summary>Seed of the subsample a scatter plot or map draws (Maps/MapFigures.Subsample, used by the PCA and t-SNE plots).</summary>
    public static int PlotSubsample(int seed) => seed;

    /// <summary>Seed of a t-SNE map's random start (Maps/Tsne, <c>TsneInit.Random</c>).</summary>
    public static int TsneStart(int seed) => seed;

    /// <summary>Seed of the test split's RandBit bits (the training split's use the run seed itself).</summary>
    public static long TestRandBits(long seed) => seed + Stride;

    /// <summary>
    /// Seed of the validation carve: one fixed draw, the same for every run seed, so every configuration of a pilot
    /// search is scored on the same held-out training images.
    /// </summary>
    public const long ValidationCarve = 20_231;

    /// <summary>
    /// Seed of the round-3 test subset (Data/Round3TestSubset): one fixed draw of test images that no earlier run of
    /// the real suite scored, fixed before any round-3 run (docs/real-experiments.md, "Test split of round 3").
    /// </summary>
    public const long Round3TestSubset = 3_024;

    /// <summary>
    /// Seed of round 4's evaluation carve (Data/HeldOutCarve): one fixed draw of training images that no earlier run
    /// scored, fixed before any round-4 run (docs/real-experiments.md, "Evaluation images of round 4").
    /// </summary>
    public const long Round4HeldOut = 4_024;

    /// <summary>
    /// Seed of round 5's evaluation carve (Data/HeldOutCarve): training images that neither the pilots nor round 4
    /// scored, fixed before any round-5 run (docs/real-experiments.md, "Evaluation images of round 5").
    /// </summary>
    public const long Round5HeldOut = 5_024;

    /// <summary>
    /// Seed of round 6's evaluation carve (Data/HeldOutCarve): training images that neither the pilots nor rounds 4 and
    /// 5 scored, fixed before any round-6 run (docs/real-experiments.md, "Evaluation images of round 6").
    /// </summary>
    public const long Round6HeldOut = 6_024;

    /// <summary>
    /// Seed of round 7's evaluation carve (Data/HeldOutCarve): training images that neither the pilots nor rounds 4 to
    /// 6 scored, fixed before any round-7 run (docs/real-experiments.md, "Evaluation images of round 7").
    /// </summary>
    public const long Round7HeldOut = 7_024;

    /// <summary>
    /// Seed of round 8's evaluation carve (Data/HeldOutCarve): training images that neither the pilots nor rounds 4 to
    /// 7 scored, fixed before any round-8 run (docs/real-experiments.md, "Evaluation images of round 8").
    /// </summary>
    public const long Round8HeldOut = 8_024;

    /// <summary>
    /// Seed of round 9's evaluation carve (Data/HeldOutCarve): training images that neither the pilots nor rounds 4 to
    /// 8 scored, fixed before any round-9 run (docs/real-experiments.md, "Evaluation images of round 9").
    /// </summary>
    public const long Round9HeldOut = 9_024;

    /// <summary>
    /// Seed of a marked-pairs split's marks (Data/MarkedPairs): fixed per split, the same for every run seed, so the
    /// dataset is one dataset and the run seed only draws subsets of it.
    /// </summary>
    public static long MarkedPairs(bool testSplit) => testSplit ? 20_233 : 20_232;

    /// <summary>The data and training streams of one theory-lab run: data from the seed, training from a distinct stream.</summary>
    public static TheorySeeds Theory(long seed) => new(seed, (ulong)(seed * Stride + 17));
}

/// <summary>The random streams of one theory-lab run.</summary>
/// <param name="Data">Generates the synthetic train/test data.</param>
/// <param name="Train">Initialises and drives training (views drawn per step).</param>
public readonly record struct TheorySeeds(long Data, ulong Train)
{
    /// <summary>Fixed views drawn once before training on them, from a stream apart from <see cref="Train"/>.</summary>
    public ulong FixedViews => Train + 7;

    /// <summary>Training on views drawn from <see cref="Train"/> beforehand: its own stream.</summary>
    public ulong TrainOnFixedViews => Train + 1;
}
