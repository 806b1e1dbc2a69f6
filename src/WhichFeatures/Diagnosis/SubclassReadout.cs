using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// How one embedding reads the subclass within each class, over every held-out split
/// (<see cref="WithinClassSubclassProbe"/> with kNN): pooled over the scored rows into a <see cref="Readout"/>.
/// </summary>
/// <param name="Readout">Within-class probe and kNN accuracy over the scored rows, with 95 % intervals.</param>
/// <param name="ProbePerSplit">The probe's accuracy per split.</param>
/// <param name="KnnPerSplit">kNN's accuracy per split.</param>
/// <param name="Chance">Held-out-weighted mean of 1 / (subclasses of the class).</param>
/// <param name="PerClass">Per class code: (probe accuracy, kNN accuracy, chance), means over the splits that scored it.</param>
public sealed record SubclassReadout(Readout Readout, Stat ProbePerSplit, Stat KnnPerSplit, double Chance, IReadOnlyDictionary<long, (double Probe, double Knn, double Chance)> PerClass)
{
    /// <summary>Reads the subclass within each class from <paramref name="embedding"/>; null when no split scored a class.</summary>
    public static SubclassReadout? Measure(Embedding embedding, EvaluationSplits splits, AttributeColumn cls, AttributeColumn sub,
        LabelledEmbeddings? test, DiagnosisSettings settings, IProgressTask task, CancellationToken ct)
    {
        var within = new WithinClassSubclassProbe(settings.Probe, settings.Knn);
        var testCls = test?.Attribute(cls.Name) ?? cls;
        var testSub = test?.Attribute(sub.Name) ?? sub;
        long rows = 0, probeCorrect = 0, knnCorrect = 0;
        double chanceSum = 0;
        List<double> probe = [], knn = [];
        var perClass = new Dictionary<long, List<(double, double, double)>>();
        foreach (var split in splits.Splits)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (trX, teX) = embedding.Rows(split);                                              // [n, D], [m, D]
            var trRows = Both(split.TrainRows, cls, sub);
            var teRows = Both(split.TestRows, testCls, testSub);
            var r = within.Run(
                trX.index_select(0, tensor(trRows.Local)), tensor(trRows.Rows.Select(i => cls.Codes[i]).ToArray()), tensor(trRows.Rows.Select(i => sub.Codes[i]).ToArray()),
                teX.index_select(0, tensor(teRows.Local)), tensor(teRows.Rows.Select(i => testCls.Codes[i]).ToArray()), tensor(teRows.Rows.Select(i => testSub.Codes[i]).ToArray()));
            task.Increment(1, $"{embedding.Name}, {split.Name}: within-class subclass probe {r.MeanAccuracy:0.000}");
            if (r.Rows == 0) continue;
            rows += r.Rows;
            probeCorrect += Accuracy.CorrectOf(r.MeanAccuracy, r.Rows);
            knnCorrect += Accuracy.CorrectOf(r.MeanKnnAccuracy, r.Rows);
            chanceSum += r.MeanChance * r.Rows;
            probe.Add(r.MeanAccuracy); knn.Add(r.MeanKnnAccuracy);
            foreach (var c in r.Classes.Where(c => c.Skipped is null))
                (perClass.TryGetValue(c.Class, out var l) ? l : perClass[c.Class] = []).Add((c.Accuracy, c.KnnAccuracy, c.Chance));
        }
        if (rows == 0) return null;
        return new SubclassReadout(new Readout(Accuracy.Of(probeCorrect, rows, probe), Accuracy.Of(knnCorrect, rows, knn)),
            Stat.Of(probe), Stat.Of(knn), chanceSum / rows,
            perClass.ToDictionary(kv => kv.Key, kv => (kv.Value.Average(v => v.Item1), kv.Value.Average(v => v.Item2), kv.Value.Average(v => v.Item3))));
    }

    // The rows of a split where both class and subclass are known: their indices into the embeddings, and their
    // positions within the split (the split's feature tensor is indexed by position).
    private static (long[] Rows, long[] Local) Both(long[] splitRows, AttributeColumn cls, AttributeColumn sub)
    {
        var local = Enumerable.Range(0, splitRows.Length).Where(j => cls.Codes[splitRows[j]] >= 0 && sub.Codes[splitRows[j]] >= 0).Select(j => (long)j).ToArray();
        return (local.Select(j => splitRows[j]).ToArray(), local);
    }
}
