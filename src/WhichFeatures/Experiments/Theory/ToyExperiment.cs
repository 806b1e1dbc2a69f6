using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// TOY: the slides' 8-dimensional example. Coordinate 1 = class (dog), 2 = subclass (fluffy ±1), 3-8 = noise,
/// each example with its own noise coordinate. The slide's weight collapses the training dogs but not the test
/// dogs; the minimum-norm interpolant of the same training outputs puts exactly 0 on the subclass coordinate.
/// </summary>
public sealed class ToyExperiment : SeededTheoryExperiment<ToyExperiment.ToyNumbers>
{
    /// <inheritdoc />
    public override string Name => "toy";
    /// <inheritdoc />
    public override string Description => "The slides' toy example: a non-collapsing minimizer vs the minimum-norm one (exact numbers).";
    /// <inheritdoc />
    public override IReadOnlyList<string> ClaimIds => ["TOY"];

    /// <summary>The training dogs [2, 8]: fluffy dog 1, non-fluffy dog 1.</summary>
    public static double[,] TrainInputs => new double[,] { { 1, 1, 0.4, 0, 0, 0, 0, 0 }, { 1, -1, 0, 0.4, 0, 0, 0, 0 } };
    /// <summary>The test dogs [2, 8]: fluffy dog 2, non-fluffy dog 2.</summary>
    public static double[,] TestInputs => new double[,] { { 1, 1, 0, 0, 0.4, 0, 0, 0 }, { 1, -1, 0, 0, 0, 0.4, 0, 0 } };
    /// <summary>The slide's non-collapsing weight.</summary>
    public static double[] SlideWeight => [0.5, 1, -2.5, 2.5, 0, 0, 0, 0];

    /// <summary>The numbers the claim is about.</summary>
    /// <param name="SlideTrain">Slide weight on the training dogs.</param>
    /// <param name="SlideTest">Slide weight on the test dogs.</param>
    /// <param name="MinNormWeight">Minimum-norm w with X w = (0.5, 0.5).</param>
    /// <param name="MinNormTrain">Its outputs on the training dogs.</param>
    /// <param name="MinNormTest">Its outputs on the test dogs.</param>
    public sealed record ToyNumbers(double[] SlideTrain, double[] SlideTest, double[] MinNormWeight, double[] MinNormTrain, double[] MinNormTest);

    /// <summary>Exact float64 linear algebra on 2 x 8 inputs agrees with the closed form to this tolerance.</summary>
    public const double Tolerance = 1e-12;

    private static readonly Threshold TrainDog = new("train_dog", 0.5, "0.0");
    private static readonly Threshold TestDog1 = new("test_dog_1", 1.5, "0.0");
    private static readonly Threshold TestDog2 = new("test_dog_2", -0.5, "0.0");
    private static readonly Threshold SubclassWeight = new("subclass_weight", 0, "0");

    /// <summary>The TOY criterion: the slide's outputs as stated, and exactly no subclass weight in the min-norm interpolant.</summary>
    public static readonly Criterion<ToyNumbers> SlideSeparatesMinNormIgnores = new(
        $"The slide's non-collapsing weight gives {TrainDog} / {TrainDog} on the training dogs and {TestDog1} / {TestDog2} on the test dogs; the computed minimum-norm interpolant has exactly {SubclassWeight} subclass weight.",
        (c, t) => Math.Abs(t.SlideTrain[0] - c[TrainDog]) < Tolerance && Math.Abs(t.SlideTrain[1] - c[TrainDog]) < Tolerance
               && Math.Abs(t.SlideTest[0] - c[TestDog1]) < Tolerance && Math.Abs(t.SlideTest[1] - c[TestDog2]) < Tolerance
               && t.MinNormWeight[1] == c[SubclassWeight]);

    /// <summary>Computes the toy numbers in float64 (w_mn = Xᵀ(XXᵀ)⁻¹ y with y = the slide weight's training outputs).</summary>
    public static ToyNumbers Compute()
    {
        using var scope = NewDisposeScope();
        var x = tensor(TrainInputs, dtype: ScalarType.Float64);                                    // [2, 8]
        var xt = tensor(TestInputs, dtype: ScalarType.Float64);                                    // [2, 8]
        var w = tensor(SlideWeight, dtype: ScalarType.Float64);                                    // [8]
        var yTrain = x.matmul(w);                                                                  // [2]
        var wMn = x.t().matmul(linalg.solve(x.matmul(x.t()), yTrain));                            // [8]
        double[] A(Tensor t) => t.data<double>().ToArray();
        return new ToyNumbers(A(yTrain), A(xt.matmul(w)), A(wMn), A(x.matmul(wMn)), A(xt.matmul(wMn)));
    }

    /// <summary>The toy is deterministic: one unit, whatever the number of seeds.</summary>
    public override IReadOnlyList<long> UnitSeeds(TheoryRunOptions options)
    {
        options.Validate();
        return [options.BaseSeed];
    }

    /// <inheritdoc />
    protected override void Check(TheoryRunOptions options) { }

    /// <inheritdoc />
    protected override double WorkPerSeed(TheoryRunOptions options) => 1;

    /// <inheritdoc />
    protected override ToyNumbers RunSeed(TheoryRunOptions options, long seed, IProgressTask task, CancellationToken ct)
    {
        var t = Compute();
        task.Increment();
        return t;
    }

    /// <inheritdoc />
    public override ExperimentResult Summarise(TheoryRunOptions options, IReadOnlyList<ToyNumbers> units)
    {
        var t = units.Single();
        var result = new ExperimentResult { Name = Name, Parameters = new { TrainInputs = ToJagged(TrainInputs), TestInputs = ToJagged(TestInputs), SlideWeight } };
        var table = new DataTable("toy", "solution", "coordinate_or_example", "value");
        for (int i = 0; i < 2; i++) table.Add("slide", $"train_dog_{i + 1}", t.SlideTrain[i]);
        for (int i = 0; i < 2; i++) table.Add("slide", $"test_dog_{i + 1}", t.SlideTest[i]);
        for (int i = 0; i < 2; i++) table.Add("min_norm", $"train_dog_{i + 1}", t.MinNormTrain[i]);
        for (int i = 0; i < 2; i++) table.Add("min_norm", $"test_dog_{i + 1}", t.MinNormTest[i]);
        for (int i = 0; i < 8; i++) table.Add("min_norm_weight", $"w{i + 1}", t.MinNormWeight[i]);
        result.Tables.Add(table);
        KeyValuePair<string, Stat> One(string n, double v) => new(n, Stat.Of([v]));
        result.Claims.Add(new ClaimResult
        {
            Id = "TOY",
            Statement = "Not every minimizer collapses: the slide's weight maps both training dogs to the same value but separates the test dogs; the minimum-norm interpolant ignores the subclass.",
            Criterion = SlideSeparatesMinNormIgnores.Sentence(),
            Holds = SlideSeparatesMinNormIgnores.Holds(t),
            Method = "Exact linear algebra in float64 (min-norm interpolant w = Xᵀ(XXᵀ)⁻¹y of the slide weight's training outputs); deterministic, so the seeds do not enter.",
            Values =
            [
                One("slide_train_dog1", t.SlideTrain[0]), One("slide_train_dog2", t.SlideTrain[1]),
                One("slide_test_dog1", t.SlideTest[0]), One("slide_test_dog2", t.SlideTest[1]),
                One("min_norm_subclass_weight", t.MinNormWeight[1]), One("min_norm_class_weight", t.MinNormWeight[0]),
                One("min_norm_test_dog1", t.MinNormTest[0]), One("min_norm_test_dog2", t.MinNormTest[1]),
            ],
            Notes = $"Slide weight: train {TheoryRuntime.Describe(t.SlideTrain[0])} / {TheoryRuntime.Describe(t.SlideTrain[1])}, test {TheoryRuntime.Describe(t.SlideTest[0])} / {TheoryRuntime.Describe(t.SlideTest[1])}. " +
                    $"Min-norm interpolant w = [{string.Join(", ", t.MinNormWeight.Select(TheoryRuntime.Describe))}]: subclass weight {t.MinNormWeight[1]} (the two training dogs' subclass values cancel), " +
                    $"so it maps both test dogs to {TheoryRuntime.Describe(t.MinNormTest[0])} / {TheoryRuntime.Describe(t.MinNormTest[1])}: collapsed on test data too.",
        });
        return result;
    }

    private static double[][] ToJagged(double[,] a) =>
        Enumerable.Range(0, a.GetLength(0)).Select(i => Enumerable.Range(0, a.GetLength(1)).Select(j => a[i, j]).ToArray()).ToArray();
}
