using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

/// <summary>
/// What the probes promise beyond an accuracy that looks right: the offline probe minimises the documented
/// objective on features standardised with the training statistics (its gradient vanishes there, computed here
/// from scratch), its default class count and iteration checks, and the online probes' loss and accuracy against
/// naive sums. Written to kill the mutants Stryker found surviving in Evaluation/ (docs/testing.md).
/// </summary>
[Collection("torch")]
public class EvaluationContractTests
{
    private static (Tensor X, Tensor Y) Data(int n, long seed)
    {
        var g = new Generator((ulong)seed);
        var y = randint(0, 3, [n], dtype: ScalarType.Int64, generator: g);                                        // [n]
        var centres = tensor(new double[,] { { 1, 0, 0, 1 }, { 0, 1, 0, -1 }, { 0, 0, 1, 0.5 } });                   // [3, 4]
        var x = (centres[y] + 0.9 * randn([n, 4], dtype: ScalarType.Float64, generator: g)) * 2 + 3;            // [n, 4]
        return (x, y);
    }

    [Fact]
    public void OfflineProbeMinimisesTheDocumentedObjectiveOnTrainingStandardisedFeatures()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(200, 1);
        const double wd = 1e-2;
        using var fitted = new LogisticRegressionProbe { WeightDecay = wd }.Fit(x, y, 3);
        // From scratch: z = (x - mean) / std (unbiased), objective mean CE + wd / 2 ||W||^2, bias unpenalised.
        var mean = x.mean([0], keepdim: true);
        var std = x.std(0, keepdim: true);
        var z = (x - mean) / std;                                                                               // [n, 4]
        var w = fitted.Weight.clone().requires_grad_(true);                                                     // [4, 3]
        var b = fitted.Bias.clone().requires_grad_(true);                                                       // [3]
        var loss = nn.functional.cross_entropy(z.matmul(w) + b, y) + 0.5 * wd * w.pow(2).sum();
        loss.backward();
        double gradMax = Math.Max(w.grad!.abs().max().ToDouble(), b.grad!.abs().max().ToDouble());
        Assert.True(gradMax < 1e-5, $"the fitted probe is not a minimum of the documented objective: largest gradient {gradMax}");
        Assert.True(w.abs().max().ToDouble() > 0.1, "the probe learnt nothing; the check above would be vacuous");
    }

    [Fact]
    public void OfflineProbeWorksUnderNoGradAndWithTheDefaultClassCount()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(150, 2);
        var (xt, yt) = Data(60, 3);
        var probe = new LogisticRegressionProbe();
        var given = probe.FitAndScore(x, y, xt, yt, classes: 3);
        // Test labels that miss the largest class: the default count still comes from both splits (3 classes).
        var keep = yt.lt(2).nonzero().squeeze(1);
        var partial = probe.FitAndScore(x, y, xt.index_select(0, keep), yt.index_select(0, keep));
        var partialGiven = probe.FitAndScore(x, y, xt.index_select(0, keep), yt.index_select(0, keep), classes: 3);
        Assert.Equal(partialGiven, partial);
        using (no_grad())
            Assert.Equal(given, probe.FitAndScore(x, y, xt, yt, classes: 3));   // callers inside no_grad get the same fit
        Assert.True(given.TrainAccuracy > 0.6, $"train accuracy {given.TrainAccuracy}");
    }

    [Fact]
    public void OfflineProbeNeedsAtLeastOneIterationAndMatchingRows()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Data(40, 4);
        using var one = new LogisticRegressionProbe { Iterations = 1 }.Fit(x, y, 3);                  // 1 is allowed
        Assert.True(one.Weight.abs().sum().ToDouble() > 0);
        var e = Assert.Throws<UserInputException>(() => new LogisticRegressionProbe { Iterations = 0 }.Fit(x, y, 3));
        Assert.Contains("iterations", e.Message);
        const string rows = "features and labels must have the same number of rows";
        Assert.Equal(rows, Assert.Throws<ArgumentException>(() => new LogisticRegressionProbe().Fit(x, y.narrow(0, 0, 39), 3)).Message);
        Assert.Equal(rows, Assert.Throws<ArgumentException>(() => new LogisticRegressionProbe().FitAndScore(x, y, x, y.narrow(0, 0, 39), 3)).Message);
    }

    [Fact]
    public void OnlineProbesLossIsTheSumOfPerLabelCrossEntropiesAndAccuracyMatchesANaiveCount()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var classes = new Dictionary<string, int> { ["subclass"] = 4, ["class"] = 2, ["background"] = 3 };
        using var probes = new OnlineLinearProbes(5, classes);
        Assert.Equal(new[] { "background", "class", "subclass" }, probes.Labels);                      // ordinal order
        Assert.Equal(6, probes.parameters().Count());                                                   // weight + bias per label
        var f = randn(23, 5);
        var labels = classes.ToDictionary(kv => kv.Key, kv => randint(0, kv.Value, [23], dtype: ScalarType.Int64));
        var named = probes.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double expected = 0;
        var expectedAcc = new Dictionary<string, double>();
        foreach (var (name, _) in classes)
        {
            var logits = f.matmul(named[$"_heads.{name}.weight"].t()) + named[$"_heads.{name}.bias"];   // [23, K]
            expected += nn.functional.cross_entropy(logits, labels[name]).ToDouble();
            var pred = logits.argmax(1).data<long>().ToArray();
            var truth = labels[name].data<long>().ToArray();
            expectedAcc[name] = Enumerable.Range(0, 23).Count(i => pred[i] == truth[i]) / 23.0;
        }
        Assert.Equal(expected, probes.Loss(f, labels).ToDouble(), 5);
        var acc = probes.Accuracy(f, labels, chunk: 5);                                                 // 5 chunks, the last partial
        foreach (var (name, a) in expectedAcc) Assert.Equal(a, acc[name], 12);
        Assert.All(probes.Accuracy(f.narrow(0, 0, 0), labels.ToDictionary(kv => kv.Key, kv => kv.Value.narrow(0, 0, 0))).Values, v => Assert.True(double.IsNaN(v)));
        using var tiny = new OnlineLinearProbes(1, classes);                                            // one feature is allowed
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnlineLinearProbes(0, classes));
    }

    [Fact]
    public void KnnAllowsOneNeighbourAndNamesBadParameters()
    {
        using var scope = NewDisposeScope();
        var bank = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { -1, 0 } });
        var labels = tensor(new long[] { 0, 1, 2 });
        var q = tensor(new float[,] { { 0.9f, 0.1f }, { 0.1f, 0.9f }, { -2, 0.1f } });
        Assert.Equal(new long[] { 0, 1, 2 }, new KnnClassifier(k: 1).Predict(bank, labels, q, 3).data<long>().ToArray());
        Assert.Contains("k", Assert.Throws<UserInputException>(() => new KnnClassifier(k: 0)).Message);
        Assert.Contains("temperature", Assert.Throws<UserInputException>(() => new KnnClassifier(temperature: -1)).Message);
    }
    [Fact]
    public void MajorityBreaksTiesTowardsTheSmallestLabelAndBothBaselinesRefuseEmptyLabels()
    {
        using var scope = NewDisposeScope();
        // 3 and 1 both appear twice, 3 first: the majority is 1 (the smaller), whatever order the labels come in.
        var train = tensor(new long[] { 3, 3, 1, 1, 7 });
        var test = tensor(new long[] { 1, 1, 1, 3 });
        Assert.Equal(0.75, LabelBaselines.Majority(train, test), 12);
        Assert.Equal(1.0 / 3, LabelBaselines.Chance(train), 12);
        var none = empty(0, dtype: ScalarType.Int64);
        var e1 = Assert.Throws<ArgumentException>(() => LabelBaselines.Chance(none));
        var e2 = Assert.Throws<ArgumentException>(() => LabelBaselines.Majority(none, test));
        var e3 = Assert.Throws<ArgumentException>(() => LabelBaselines.Majority(train, none));
        Assert.Equal(("trainLabels", "trainLabels", "testLabels"), (e1.ParamName, e2.ParamName, e3.ParamName));
        Assert.StartsWith("chance needs at least one training label", e1.Message);
        Assert.StartsWith("majority needs at least one training label", e2.Message);
        Assert.StartsWith("majority needs at least one test label", e3.Message);
    }

    [Fact]
    public void ProtocolsStateTheirSettings()
    {
        var probe = new LogisticRegressionProbe { Iterations = 37, WeightDecay = 0.0025 };
        Assert.Contains("37 iterations", probe.Protocol);
        Assert.Contains("L2 0.0025", probe.Protocol);
        Assert.Contains("standardised", probe.Protocol);
        var knn = new KnnClassifier(k: 7, temperature: 0.25);
        Assert.Contains("k = 7", knn.Protocol);
        Assert.Contains("exp(sim / 0.25)", knn.Protocol);
    }

    [Fact]
    public void WithinClassSubclassProbeChecksRowsAndCountsAnUnseenTestSubclassAsWrong()
    {
        using var scope = NewDisposeScope();
        // One class with training subclasses 0 and 1 (separable on feature 0); the test rows sit exactly on
        // subclass 1's side, but one of them carries subclass 5, never seen in training: it can never be right.
        var xtr = tensor(new double[,] { { -2, 0 }, { -1, 0 }, { 1, 0 }, { 2, 0 } });            // [4, 2]
        var ctr = tensor(new long[] { 0, 0, 0, 0 });
        var str = tensor(new long[] { 0, 0, 1, 1 });
        var xte = tensor(new double[,] { { 1.5, 0 }, { 1.5, 0 } });                                 // [2, 2]
        var cte = tensor(new long[] { 0, 0 });
        var ste = tensor(new long[] { 1, 5 });
        var probe = new WithinClassSubclassProbe();
        var r = probe.Run(xtr, ctr, str, xte, cte, ste);
        Assert.Equal(0.5, r.MeanAccuracy, 12);
        Assert.Equal(0.5, r.MeanChance, 12);
        var shortLabels = tensor(new long[] { 0, 0, 0 });
        Assert.Contains("train features have 4 rows but class/subclass have 3/4", Assert.Throws<ArgumentException>(() => probe.Run(xtr, shortLabels, str, xte, cte, ste)).Message);
        Assert.Contains("train features have 4 rows but class/subclass have 4/3", Assert.Throws<ArgumentException>(() => probe.Run(xtr, ctr, shortLabels, xte, cte, ste)).Message);
        var one = tensor(new long[] { 0 });
        Assert.Contains("test features have 2 rows but class/subclass have 1/2", Assert.Throws<ArgumentException>(() => probe.Run(xtr, ctr, str, xte, one, ste)).Message);
        Assert.Contains("test features have 2 rows but class/subclass have 2/1", Assert.Throws<ArgumentException>(() => probe.Run(xtr, ctr, str, xte, cte, one)).Message);
        // A class with one training subclass is skipped, and says why.
        var skipped = probe.Run(xtr, ctr, tensor(new long[] { 4, 4, 4, 4 }), xte, cte, ste);
        Assert.Equal("1 training subclass(es)", skipped.Classes.Single().Skipped);
        Assert.True(double.IsNaN(skipped.MeanAccuracy));
    }

    [Fact]
    public void KnnUnknownBankLabelsDoNotVoteAndAccuracyIsTheMeanOfCorrectPredictions()
    {
        using var scope = NewDisposeScope();
        // The query's two nearest bank rows are unlabelled (-1); the next two say class 2.
        var bank = tensor(new float[,] { { 1, 0.01f }, { 1, -0.01f }, { 1, 0.5f }, { 1, -0.5f }, { -1, 0 } });   // [5, 2]
        var labels = tensor(new long[] { -1, -1, 2, 2, 0 });
        var q = tensor(new float[,] { { 1, 0 }, { -1, 0.1f } });                                                 // [2, 2]
        var knn = new KnnClassifier(k: 4);
        Assert.Equal(new long[] { 2, 0 }, knn.Predict(bank, labels, q, 3).data<long>().ToArray());
        Assert.Equal(0.5, knn.Accuracy(bank, labels, q, tensor(new long[] { 2, 1 }), 3), 12);
        Assert.Equal(1.0, knn.Accuracy(bank, labels, q, tensor(new long[] { 2, 0 }), 3), 12);
    }

    [Fact]
    public void NativeLbfgsStopsAtMaxEvalAndByDefaultAtMaxIter()
    {
        // An ill-conditioned quadratic that L-BFGS without a line search does not finish in a few steps.
        int Evaluations(long maxIter, long? maxEval)
        {
            using var scope = NewDisposeScope();
            var x = nn.Parameter(ones(10, dtype: ScalarType.Float64));
            var scale = linspace(0.01, 1, 10, dtype: ScalarType.Float64);
            using var opt = NativeLbfgs.Create([x], lr: 1, maxIter: maxIter, maxEval: maxEval, toleranceGrad: 1e-30, toleranceChange: 1e-30);
            int calls = 0;
            opt.step(() => { calls++; opt.zero_grad(); var l = (scale * x.pow(2)).sum(); l.backward(); return l; });
            return calls;
        }
        Assert.Equal(3, Evaluations(20, 3));
        Assert.Equal(8, Evaluations(8, null));      // max_eval defaults to 5/4 max_iter: without a line search max_iter binds first
        using var scope = NewDisposeScope();
        using var opt = NativeLbfgs.Create([nn.Parameter(ones(2))]);
        Assert.StartsWith("L-BFGS needs a closure", Assert.Throws<ArgumentNullException>(() => opt.step(null)).Message);
    }

    [Fact]
    public void OnlineProbesAreCreatedInOrdinalLabelOrderSoTheSeedDecidesThem()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var a = nn.Linear(5, 2);                                          // "a" first, then "b", as the probes must
        var b = nn.Linear(5, 3);
        manual_seed(11);
        using var probes = new OnlineLinearProbes(5, new Dictionary<string, int> { ["b"] = 3, ["a"] = 2 });
        var named = probes.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(a.weight!.data<float>().ToArray(), named["_heads.a.weight"].data<float>().ToArray());
        Assert.Equal(b.weight!.data<float>().ToArray(), named["_heads.b.weight"].data<float>().ToArray());
    }

    [Fact]
    public void SuitesUseTheProbesTheyAreGivenAndAnUnprobedLabelIsAnError()
    {
        var probe = new LogisticRegressionProbe { Iterations = 7 };
        var knn = new KnnClassifier(k: 3);
        var suite = new ProbeSuite(probe, knn);
        Assert.Same(probe, suite.Probe);
        Assert.Same(knn, suite.Knn);
        Assert.Same(probe, new WithinClassSubclassProbe(probe).Probe);
        var result = new ProbeSuiteResult([new ProbeScore("class", 2, 0.5, 0.5)], double.NaN);
        Assert.Equal(0.5, result["class"].TestAccuracy);
        Assert.Throws<InvalidOperationException>(() => result["subclass"]);
    }

    [Fact]
    public void WithinClassSubclassProbeReportsClassesInOrderAndSaysWhyEachSkippedOneIsSkipped()
    {
        using var scope = NewDisposeScope();
        // Class 2: two separable training subclasses, scored. Class 0: two training subclasses, no test row.
        // Class 1: test rows only (no training subclass: its chance is undefined).
        var xtr = tensor(new double[,] { { -2, 0 }, { 2, 0 }, { -2, 1 }, { 2, 1 } });                       // [4, 2]
        var ctr = tensor(new long[] { 2, 2, 0, 0 });
        var str = tensor(new long[] { 0, 1, 0, 1 });
        var xte = tensor(new double[,] { { 2, 0 }, { 0, 5 } });                                             // [2, 2]
        var cte = tensor(new long[] { 2, 1 });
        var ste = tensor(new long[] { 1, 0 });
        var r = new WithinClassSubclassProbe().Run(xtr, ctr, str, xte, cte, ste);
        Assert.Equal(new long[] { 0, 1, 2 }, r.Classes.Select(c => c.Class));
        Assert.Equal("no test points", r.Classes[0].Skipped);
        Assert.Equal(0.5, r.Classes[0].Chance);
        Assert.Equal("0 training subclass(es)", r.Classes[1].Skipped);
        Assert.True(double.IsNaN(r.Classes[1].Chance));
        Assert.Null(r.Classes[2].Skipped);
        Assert.Equal((1.0, 0.5), (r.MeanAccuracy, r.MeanChance));                                         // only class 2 is scored
    }
}
