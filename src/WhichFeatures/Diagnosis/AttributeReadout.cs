using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// How one embedding reads one attribute over every held-out split: the linear probe (through
/// <see cref="ProbeSuite"/>) and kNN, pooled over the scored rows into a <see cref="Readout"/>, with the per-split values.
/// </summary>
/// <param name="Name">The attribute.</param>
/// <param name="Categories">Its number of categories.</param>
/// <param name="Readout">Probe and kNN accuracy over all scored rows, with their 95 % intervals.</param>
/// <param name="ProbeTest">Probe held-out accuracy per split (per fold under k-fold).</param>
/// <param name="ProbeTrain">Probe training accuracy per split.</param>
/// <param name="Knn">kNN held-out accuracy per split.</param>
/// <param name="Chance">1 / (distinct training values), mean over splits.</param>
/// <param name="Majority">Held-out accuracy of predicting the training majority, over all scored rows.</param>
public sealed record AttributeReadout(string Name, int Categories, Readout Readout, Stat ProbeTest, Stat ProbeTrain, Stat Knn, double Chance, double Majority)
{
    /// <summary>
    /// Reads every attribute of <paramref name="train"/> (and of <paramref name="test"/>, under a train/test split)
    /// from <paramref name="embedding"/>. The kNN neighbours are found once per split and vote for every attribute;
    /// a row whose value is unknown is neither fitted, scored, nor a voter.
    /// </summary>
    public static IReadOnlyList<AttributeReadout> Measure(Embedding embedding, EvaluationSplits splits, IReadOnlyList<AttributeColumn> train,
        LabelledEmbeddings? test, DiagnosisSettings settings, IProgressTask task, CancellationToken ct)
    {
        var tallies = train.Select(_ => new Tally()).ToArray();
        var suite = new ProbeSuite(settings.Probe, withKnn: false);
        foreach (var split in splits.Splits)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (trX, teX) = embedding.Rows(split);                                              // [n, D], [m, D]
            var (nIdx, nWeight) = settings.Knn.Neighbours(trX, teX, ct: ct);                      // [m, k] each
            task.Increment(1, $"{embedding.Name}, {split.Name}: kNN neighbours");
            for (int a = 0; a < train.Count; a++)
            {
                ct.ThrowIfCancellationRequested();
                using var attrScope = NewDisposeScope();
                var col = train[a];
                var testCodes = (test?.Attribute(col.Name) ?? col).Codes;
                long[] trC = split.TrainRows.Select(i => col.Codes[i]).ToArray();
                long[] teC = split.TestRows.Select(i => testCodes[i]).ToArray();
                var trRows = Known(trC); var teRows = Known(teC);
                if (teRows.Length == 0 || trRows.Select(i => trC[i]).Distinct().Count() < 2) { task.Increment(); continue; }
                var ytr = tensor(trRows.Select(i => trC[i]).ToArray());                             // [n']
                var yte = tensor(teRows.Select(i => teC[i]).ToArray());                             // [m']
                var teIdx = tensor(teRows);
                var classes = new Dictionary<string, int> { [col.Name] = col.Categories.Count };
                var score = suite.Run(
                    new FeatureSet(col.Name, trX.index_select(0, tensor(trRows)), new Dictionary<string, Tensor> { [col.Name] = ytr }, classes),
                    new FeatureSet(col.Name, teX.index_select(0, teIdx), new Dictionary<string, Tensor> { [col.Name] = yte }, classes),
                    [col.Name]).Probes[0];
                var knnPred = KnnClassifier.Vote(nIdx.index_select(0, teIdx), nWeight.index_select(0, teIdx), tensor(trC), col.Categories.Count); // [m']
                long knnCorrect = knnPred.eq(yte).sum().item<long>();
                tallies[a].Add(teRows.Length, score.TestAccuracy, score.TrainAccuracy, knnCorrect, LabelBaselines.Chance(ytr), LabelBaselines.Majority(ytr, yte));
                task.Increment(1, $"{embedding.Name}, {split.Name}: {col.Name} probe {score.TestAccuracy:0.000}");
            }
        }
        return train.Select((col, a) => tallies[a].Rows == 0
            ? throw new UserInputException($"attribute '{col.Name}': no split had 2 or more training values and a test row; a probe needs both.")
            : tallies[a].Result(col)).ToList();
    }

    private static long[] Known(long[] codes) => Enumerable.Range(0, codes.Length).Where(i => codes[i] >= 0).Select(i => (long)i).ToArray();

    // Sums over splits: every split's correct counts and row counts, and its per-split accuracies.
    private sealed class Tally
    {
        public long Rows, ProbeCorrect, KnnCorrect;
        private double majorityCorrect;
        private readonly List<double> probeTest = [], probeTrain = [], knn = [], chance = [];

        public void Add(long rows, double probeTestAcc, double probeTrainAcc, long knnCorrect, double chanceAcc, double majorityAcc)
        {
            Rows += rows;
            ProbeCorrect += Accuracy.CorrectOf(probeTestAcc, rows);
            KnnCorrect += knnCorrect;
            majorityCorrect += majorityAcc * rows;
            probeTest.Add(probeTestAcc); probeTrain.Add(probeTrainAcc); knn.Add((double)knnCorrect / rows); chance.Add(chanceAcc);
        }

        public AttributeReadout Result(AttributeColumn col) => new(col.Name, col.Categories.Count,
            new Readout(Accuracy.Of(ProbeCorrect, Rows, probeTest), Accuracy.Of(KnnCorrect, Rows, knn)),
            Stat.Of(probeTest), Stat.Of(probeTrain), Stat.Of(knn), chance.Average(), majorityCorrect / Rows);
    }
}
