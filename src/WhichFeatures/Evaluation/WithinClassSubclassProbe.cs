using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// Class collapse measured by a probe: for each class c, a fresh <see cref="LogisticRegressionProbe"/> is fitted on the training
/// points of class c to predict their subclass, and scored on the test points of class c. An encoder that collapsed
/// the subclasses of c (the paper's class collapse) leaves this accuracy near the per-class chance 1 / S_c, where
/// S_c is the number of distinct subclasses among the training points of c.
/// <para>
/// Subclass ids may be global (for example CIFAR-100 fine labels under superclasses); they are renumbered within
/// each class. A test point whose subclass never occurs among the training points of its class counts as wrong.
/// A class is skipped (listed with <see cref="ClassResult.Skipped"/>) when it has fewer than 2 distinct training
/// subclasses or no test points: there is nothing to decode or nothing to score.
/// </para>
/// The overall accuracy is the mean of the per-class accuracies weighted by each class's number of test points
/// (that is, the accuracy over all test points of the scored classes); the overall chance is weighted the same way.
/// </summary>
public sealed class WithinClassSubclassProbe
{
    /// <summary>
    /// Creates the probe; <paramref name="probe"/> defaults to a <see cref="LogisticRegressionProbe"/> with its
    /// defaults. With <paramref name="knn"/>, each class is also read by kNN whose bank is that class's training points.
    /// </summary>
    public WithinClassSubclassProbe(LogisticRegressionProbe? probe = null, KnnClassifier? knn = null)
    {
        Probe = probe ?? new LogisticRegressionProbe();
        Knn = knn;
    }

    /// <summary>The logistic-regression probe fitted within each class.</summary>
    public LogisticRegressionProbe Probe { get; }
    /// <summary>The kNN reader within each class, or null (then every kNN accuracy is NaN).</summary>
    public KnnClassifier? Knn { get; }

    /// <summary>One class's result.</summary>
    /// <param name="Class">The class label value.</param>
    /// <param name="TrainCount">Training points of the class.</param>
    /// <param name="TestCount">Test points of the class.</param>
    /// <param name="Subclasses">Distinct subclasses among the training points of the class (S_c).</param>
    /// <param name="Accuracy">Test accuracy of the within-class subclass probe (NaN when skipped).</param>
    /// <param name="Chance">1 / S_c (NaN when S_c = 0).</param>
    /// <param name="Skipped">Why the class was not scored, or null.</param>
    /// <param name="KnnAccuracy">Test accuracy of kNN within the class (NaN when skipped or without kNN).</param>
    public sealed record ClassResult(long Class, int TrainCount, int TestCount, int Subclasses, double Accuracy, double Chance, string? Skipped, double KnnAccuracy = double.NaN);

    /// <summary>All classes and the test-count-weighted means over the scored ones.</summary>
    /// <param name="Classes">Per class, in increasing class value.</param>
    /// <param name="MeanAccuracy">Sum over scored classes of TestCount * Accuracy / sum of TestCount (NaN if none scored).</param>
    /// <param name="MeanChance">Sum over scored classes of TestCount * Chance / sum of TestCount (NaN if none scored).</param>
    public sealed record Result(IReadOnlyList<ClassResult> Classes, double MeanAccuracy, double MeanChance)
    {
        /// <summary>Test points of the scored classes (the rows behind <see cref="MeanAccuracy"/>).</summary>
        public int Rows => Classes.Where(c => c.Skipped is null).Sum(c => c.TestCount);
        /// <summary>kNN accuracy weighted like <see cref="MeanAccuracy"/> (NaN without kNN or scored classes).</summary>
        public double MeanKnnAccuracy => Rows == 0 ? double.NaN : Classes.Where(c => c.Skipped is null).Sum(c => c.TestCount * c.KnnAccuracy) / Rows;
    }

    /// <summary>Runs the per-class probes.</summary>
    /// <param name="trainFeatures">[N, D].</param>
    /// <param name="trainClass">[N] int64.</param>
    /// <param name="trainSubclass">[N] int64.</param>
    /// <param name="testFeatures">[M, D].</param>
    /// <param name="testClass">[M] int64.</param>
    /// <param name="testSubclass">[M] int64.</param>
    public Result Run(Tensor trainFeatures, Tensor trainClass, Tensor trainSubclass, Tensor testFeatures, Tensor testClass, Tensor testSubclass)
    {
        long n = trainFeatures.shape[0], m = testFeatures.shape[0];
        if (trainClass.shape[0] != n || trainSubclass.shape[0] != n)
            throw new ArgumentException($"train features have {n} rows but class/subclass have {trainClass.shape[0]}/{trainSubclass.shape[0]}");
        if (testClass.shape[0] != m || testSubclass.shape[0] != m)
            throw new ArgumentException($"test features have {m} rows but class/subclass have {testClass.shape[0]}/{testSubclass.shape[0]}");
        long[] trC = Longs(trainClass), trS = Longs(trainSubclass), teC = Longs(testClass), teS = Longs(testSubclass);
        var results = new List<ClassResult>();
        double accSum = 0, chanceSum = 0, weight = 0;
        foreach (var c in trC.Concat(teC).Distinct().Order())
        {
            var trIdx = Indices(trC, c);
            var teIdx = Indices(teC, c);
            // Renumber the class's training subclasses 0..S_c-1; unseen test subclasses become -1 (never predicted).
            var ids = trIdx.Select(i => trS[i]).Distinct().Order().Select((s, k) => (s, k)).ToDictionary(t => t.s, t => (long)t.k);
            int sc = ids.Count;
            double chance = sc > 0 ? 1.0 / sc : double.NaN;
            string? skip = sc < 2 ? $"{sc} training subclass(es)" : teIdx.Length == 0 ? "no test points" : null;
            if (skip is not null)
            {
                results.Add(new ClassResult(c, trIdx.Length, teIdx.Length, sc, double.NaN, chance, skip));
                continue;
            }
            using var scope = NewDisposeScope();
            var xtr = trainFeatures.index_select(0, tensor(trIdx));                           // [n_c, D]
            var xte = testFeatures.index_select(0, tensor(teIdx));                            // [m_c, D]
            var ytr = tensor(trIdx.Select(i => ids[trS[i]]).ToArray());                       // [n_c]
            var yte = tensor(teIdx.Select(i => ids.TryGetValue(teS[i], out var k) ? k : -1L).ToArray()); // [m_c]
            var (_, acc) = Probe.FitAndScore(xtr, ytr, xte, yte, classes: sc);
            double knn = Knn?.Accuracy(xtr, ytr, xte, yte, sc) ?? double.NaN;
            results.Add(new ClassResult(c, trIdx.Length, teIdx.Length, sc, acc, chance, null, knn));
            accSum += teIdx.Length * acc;
            chanceSum += teIdx.Length * chance;
            weight += teIdx.Length;
        }
        return new Result(results, weight > 0 ? accSum / weight : double.NaN, weight > 0 ? chanceSum / weight : double.NaN);
    }

    private static long[] Longs(Tensor t) => t.to_type(ScalarType.Int64).cpu().data<long>().ToArray();

    private static long[] Indices(long[] labels, long value)
    {
        var idx = new List<long>();
        for (long i = 0; i < labels.Length; i++) if (labels[i] == value) idx.Add(i);
        return idx.ToArray();
    }
}
