using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

[Collection("torch")]
public class BaselineAndSubclassProbeTests
{
    [Fact]
    public void ChanceAndMajorityMatchNaiveCounting()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 20; trial++)
        {
            var train = Enumerable.Range(0, 1 + rng.Next(40)).Select(_ => (long)(rng.Next(6) * 3 - 4)).ToArray();
            var test = Enumerable.Range(0, 1 + rng.Next(40)).Select(_ => (long)(rng.Next(7) * 3 - 4)).ToArray();
            // Naive: count every value with a loop; the majority is the most frequent, smallest on ties.
            var counts = new SortedDictionary<long, int>();
            foreach (var v in train) counts[v] = counts.GetValueOrDefault(v) + 1;
            long best = 0; int bestCount = -1;
            foreach (var (v, c) in counts) if (c > bestCount) { best = v; bestCount = c; }
            int hits = 0;
            foreach (var v in test) if (v == best) hits++;

            using var tr = tensor(train); using var te = tensor(test);
            Assert.Equal(1.0 / counts.Count, LabelBaselines.Chance(tr), 12);
            Assert.Equal((double)hits / test.Length, LabelBaselines.Majority(tr, te), 12);
        }
    }

    [Fact]
    public void SubclassProbeMatchesANaivePerClassLoop()
    {
        manual_seed(11);
        // 3 classes with global subclass ids: class 0 -> {0,1}, class 1 -> {2,3,4}, class 2 -> {5} (skipped: one subclass).
        long[] subToClass = { 0, 0, 1, 1, 1, 2 };
        var rng = new Random(3);
        long[] trS = Enumerable.Range(0, 150).Select(_ => (long)rng.Next(6)).ToArray();
        long[] teS = Enumerable.Range(0, 90).Select(_ => (long)rng.Next(6)).ToArray();
        teS[0] = 5; // keep class 2 in test
        long[] trC = trS.Select(s => subToClass[s]).ToArray(), teC = teS.Select(s => subToClass[s]).ToArray();
        using var xtr = randn(150, 6); using var xte = randn(90, 6);
        var probe = new LogisticRegressionProbe { Iterations = 30 };
        var result = new WithinClassSubclassProbe(probe).Run(xtr, tensor(trC), tensor(trS), xte, tensor(teC), tensor(teS));

        // Naive reference: select rows with loops, renumber subclasses by sorted order, fit the same probe.
        double accSum = 0, chanceSum = 0, weight = 0;
        for (long c = 0; c < 3; c++)
        {
            var tri = Enumerable.Range(0, 150).Where(i => trC[i] == c).ToList();
            var tei = Enumerable.Range(0, 90).Where(i => teC[i] == c).ToList();
            var subs = tri.Select(i => trS[i]).Distinct().OrderBy(s => s).ToList();
            var row = result.Classes.Single(r => r.Class == c);
            Assert.Equal(tri.Count, row.TrainCount);
            Assert.Equal(tei.Count, row.TestCount);
            Assert.Equal(subs.Count, row.Subclasses);
            Assert.Equal(1.0 / subs.Count, row.Chance, 12);
            if (subs.Count < 2) { Assert.NotNull(row.Skipped); Assert.True(double.IsNaN(row.Accuracy)); continue; }
            Assert.Null(row.Skipped);
            using var sx = stack(tri.Select(i => xtr[i]).ToArray());
            using var tx = stack(tei.Select(i => xte[i]).ToArray());
            using var sy = tensor(tri.Select(i => (long)subs.IndexOf(trS[i])).ToArray());
            using var ty = tensor(tei.Select(i => (long)subs.IndexOf(teS[i])).ToArray());
            var (_, acc) = probe.FitAndScore(sx, sy, tx, ty, classes: subs.Count);
            Assert.Equal(acc, row.Accuracy, 12);
            accSum += tei.Count * acc; chanceSum += tei.Count / (double)subs.Count; weight += tei.Count;
        }
        Assert.Equal(accSum / weight, result.MeanAccuracy, 12);
        Assert.Equal(chanceSum / weight, result.MeanChance, 12);
    }

    [Fact]
    public void SubclassProbeSeesKeptSubclassesAndNotCollapsedOnes()
    {
        manual_seed(12);
        // 2 classes x 2 subclasses. Kept: a feature encodes the subclass; collapsed: only the class is encoded.
        int n = 400;
        using var sub = randint(0, 4, n, dtype: ScalarType.Int64);              // [N] global subclass 0..3
        using var cls = sub.div(2, rounding_mode: RoundingMode.floor);          // [N] class 0..1
        using var noise = 0.3 * randn(n, 4);                                      // [N, 4]
        using var classFeat = cls.to_type(ScalarType.Float32).unsqueeze(1) * 3;  // [N, 1]
        using var subFeat = sub.remainder(2).to_type(ScalarType.Float32).unsqueeze(1) * 3; // [N, 1]
        using var kept = cat([classFeat, subFeat], 1) + noise[.., ..2];         // [N, 2]
        using var collapsed = cat([classFeat, zeros(n, 1)], 1) + noise[.., 2..]; // [N, 2]
        var p = new WithinClassSubclassProbe();
        var tr = TensorIndex.Slice(0, 200); var te = TensorIndex.Slice(200, n);
        var k = p.Run(kept[tr], cls[tr], sub[tr], kept[te], cls[te], sub[te]);
        var c = p.Run(collapsed[tr], cls[tr], sub[tr], collapsed[te], cls[te], sub[te]);
        Assert.True(k.MeanAccuracy > 0.95, $"kept {k.MeanAccuracy}");
        Assert.InRange(c.MeanAccuracy, 0.3, 0.7);
        Assert.Equal(0.5, c.MeanChance, 12);
    }
}
