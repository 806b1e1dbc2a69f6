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
        Assert.Throws<ArgumentException>(() => new LogisticRegressionProbe().Fit(x, y.narrow(0, 0, 39), 3));
        Assert.Throws<ArgumentException>(() => new LogisticRegressionProbe().FitAndScore(x, y, x, y.narrow(0, 0, 39), 3));
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
        Assert.Equal("trainLabels", Assert.Throws<ArgumentException>(() => LabelBaselines.Chance(none)).ParamName);
        Assert.Equal("trainLabels", Assert.Throws<ArgumentException>(() => LabelBaselines.Majority(none, test)).ParamName);
        Assert.Equal("testLabels", Assert.Throws<ArgumentException>(() => LabelBaselines.Majority(train, none)).ParamName);
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
}
