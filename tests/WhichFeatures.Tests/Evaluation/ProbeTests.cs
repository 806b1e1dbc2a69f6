using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

[Collection("torch")]
public class ProbeTests
{
    [Fact]
    public void LinearProbeDecodesALinearLabelAndNotNoise()
    {
        manual_seed(1);
        using var x = randn(400, 8);
        using var xt = randn(400, 8);
        // Label = sign of a fixed direction: linearly decodable.
        using var dir = tensor(new float[] { 0, 0, 1, -1, 0, 0, 0, 0.5f });
        using var y = x.matmul(dir).gt(0).to_type(ScalarType.Int64);
        using var yt = xt.matmul(dir).gt(0).to_type(ScalarType.Int64);
        var (train, test) = new LogisticRegressionProbe().FitAndScore(x, y, xt, yt);
        Assert.True(train >= 0.98 && test >= 0.95, $"train {train}, test {test}");

        // Random labels: train may overfit a little, test stays near chance.
        using var noise = randint(0, 2, 400, dtype: ScalarType.Int64);
        using var noiseT = randint(0, 2, 400, dtype: ScalarType.Int64);
        var (_, chance) = new LogisticRegressionProbe().FitAndScore(x, noise, xt, noiseT);
        Assert.InRange(chance, 0.38, 0.62);
    }

    [Fact]
    public void LinearProbeIsDeterministic()
    {
        manual_seed(2);
        using var x = randn(200, 5); using var y = randint(0, 3, 200, dtype: ScalarType.Int64);
        var a = new LogisticRegressionProbe().FitAndScore(x, y, x, y, classes: 3);
        var b = new LogisticRegressionProbe().FitAndScore(x, y, x, y, classes: 3);
        Assert.Equal(a, b);
    }

    [Fact]
    public void KnnMatchesNaiveWeightedVote()
    {
        manual_seed(3);
        using var bank = randn(60, 4); using var labels = randint(0, 3, 60, dtype: ScalarType.Int64);
        using var q = randn(25, 4);
        var knn = new KnnClassifier(k: 5, temperature: 0.1);
        var pred = knn.Predict(bank, labels, q, classes: 3, chunk: 7).data<long>().ToArray();

        float[] B = bank.data<float>().ToArray(), Q = q.data<float>().ToArray();
        long[] L = labels.data<long>().ToArray();
        double Cos(float[] a, int i, float[] b, int j)
        {
            double d = 0, na = 0, nb = 0;
            for (int c = 0; c < 4; c++) { d += a[i * 4 + c] * b[j * 4 + c]; na += a[i * 4 + c] * a[i * 4 + c]; nb += b[j * 4 + c] * b[j * 4 + c]; }
            return d / Math.Sqrt(na * nb);
        }
        for (int i = 0; i < 25; i++)
        {
            var top = Enumerable.Range(0, 60).Select(j => (j, s: Cos(Q, i, B, j))).OrderByDescending(t => t.s).Take(5);
            var votes = new double[3];
            foreach (var (j, s) in top) votes[L[j]] += Math.Exp(s / 0.1);
            Assert.Equal(Array.IndexOf(votes, votes.Max()), (int)pred[i]);
        }
    }

    [Fact]
    public void KnnRejectsBadParameters()
    {
        Assert.Throws<UserInputException>(() => new KnnClassifier(k: 0));
        Assert.Throws<UserInputException>(() => new KnnClassifier(temperature: 0));
    }

    [Fact]
    public void ProbeSuiteProbesEveryCommonLabelInOrderWithDeclaredClassesAndKnnOnClass()
    {
        var g = new Generator(5);
        using var x = randn(new long[] { 60, 4 }, generator: g);                                   // [60, 4]
        using var xt = randn(new long[] { 30, 4 }, generator: g);                                  // [30, 4]
        Tensor Cls(Tensor f) => f[.., 0].gt(0).to_type(ScalarType.Int64);                         // [N] decodable from column 0
        Tensor Other(long n) => randint(0, 2, new long[] { n }, generator: g, dtype: ScalarType.Int64);
        var train = new FeatureSet("toy", x, new Dictionary<string, Tensor> { ["other"] = Other(60), ["class"] = Cls(x), ["train-only"] = Other(60) },
            new Dictionary<string, int> { ["class"] = 3 });                                        // declared 3 classes, only 0 and 1 occur
        var test = new FeatureSet("toy", xt, new Dictionary<string, Tensor> { ["class"] = Cls(xt), ["other"] = Other(30) });
        var r = new ProbeSuite().Run(train, test);
        Assert.Equal(["class", "other"], r.Probes.Select(p => p.Label));                          // common labels, ordinal order
        Assert.Equal(3, r["class"].Classes);
        Assert.Equal(2, r["other"].Classes);                                                       // undeclared: max label + 1
        Assert.Equal(new LogisticRegressionProbe().FitAndScore(x, train.Labels["class"], xt, test.Labels["class"], 3), (r["class"].TrainAccuracy, r["class"].TestAccuracy));
        Assert.True(r["class"].TestAccuracy > 0.9, $"class probe {r["class"].TestAccuracy}");
        Assert.Equal(new KnnClassifier().Accuracy(x, train.Labels["class"], xt, test.Labels["class"], 3), r.KnnClassAccuracy);

        Assert.True(double.IsNaN(new ProbeSuite(withKnn: false).Run(train, test).KnnClassAccuracy));
        var noClass = new FeatureSet("raw", x, new Dictionary<string, Tensor> { ["other"] = train.Labels["other"] });
        Assert.True(double.IsNaN(new ProbeSuite().Run(noClass, noClass).KnnClassAccuracy));
        var e = Assert.Throws<UserInputException>(() => new ProbeSuite().Run(train, test, ["train-only"]));
        Assert.Equal("toy: no label \"train-only\" to probe; it has: other, class.", e.Message);
    }
}
