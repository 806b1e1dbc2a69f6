using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// What a probe accuracy must be compared with, and the verdicts that follow, for every probe report (train's final
/// evaluation and <c>probe</c>). The verdicts themselves are defined once, in Verdicts/, and shared with
/// <c>diagnose</c>:
/// <list type="bullet">
/// <item>chance (1 / number of training categories) and majority (always predict the training majority) per label,
/// from Evaluation/LabelBaselines;</item>
/// <item>the reference: the same architecture at its seeded random initialisation, read the same way (one feature pass);</item>
/// <item>subclass collapse (<see cref="CollapseVerdict"/>): the within-class subclass probe and kNN of the trained
/// encoder against the random-init encoder;</item>
/// <item>suppression per label (<see cref="SuppressionVerdict"/>): the trained probe (and kNN on the class) against random init;</item>
/// <item>learnt (<see cref="LearntVerdict"/>): the class probe against random init.</item>
/// </list>
/// Every accuracy is over the test split's rows, with its 95 % interval (Verdicts/Accuracy).
/// </summary>
public static class RunBaselines
{
    /// <summary>All baselines and verdicts of one probed encoder.</summary>
    /// <param name="RandomInitProbes">The random-init encoder's probe scores per label.</param>
    /// <param name="Collapse">Null when the data has no class/subclass hierarchy.</param>
    /// <param name="Suppression">Per probed dataset label, against random initialisation.</param>
    /// <param name="Learnt">Null without a class label.</param>
    public sealed record Verdicts(IReadOnlyList<ProbeScore> RandomInitProbes, CollapseVerdict? Collapse, IReadOnlyList<SuppressionVerdict> Suppression, LearntVerdict? Learnt);

    /// <summary>Adds chance and majority accuracy to each score of a dataset label (user labels keep theirs).</summary>
    public static IReadOnlyList<ProbeScore> WithChanceAndMajority(IReadOnlyList<ProbeScore> scores, ImageDataset train, ImageDataset test) =>
        scores.Select(s => train.Labels.TryGetValue(s.Label, out var tr) && test.Labels.TryGetValue(s.Label, out var te)
            ? s with { Chance = LabelBaselines.Chance(tr), Majority = LabelBaselines.Majority(tr, te) }
            : s).ToList();

    /// <summary>
    /// Probes the run's architecture at its seeded initialisation and compares: <paramref name="trained"/> are the
    /// trained encoder's scores (with chance and majority), <paramref name="trainF"/>/<paramref name="testF"/> its
    /// representations, <paramref name="knnClass"/> its kNN class accuracy (NaN when not scored).
    /// </summary>
    public static Verdicts Compute(TrainConfig cfg, ImageDataset train, ImageDataset test, FeatureSet trainF, FeatureSet testF,
        IReadOnlyList<ProbeScore> trained, LogisticRegressionProbe probe, Device device, double knnClass = double.NaN)
    {
        using var scope = NewDisposeScope();
        var (rTrain, rTest) = RandomInitFeatures(cfg, train, test, device);
        var labels = trained.Select(p => p.Label).Where(l => train.Labels.ContainsKey(l) && test.Labels.ContainsKey(l)).ToList();
        var suite = new ProbeSuite(probe);
        var randomRun = suite.Run(rTrain, rTest, labels);
        var random = randomRun.Probes;
        long rows = testF.Features.shape[0];
        CollapseVerdict? collapse = null;
        if (train.Labels.ContainsKey(LabelKeys.Subclass) && test.Labels.ContainsKey(LabelKeys.Subclass))
        {
            var within = new WithinClassSubclassProbe(probe, suite.Knn);
            var t = within.Run(trainF.Features, train.Labels[LabelKeys.Class], train.Labels[LabelKeys.Subclass], testF.Features, test.Labels[LabelKeys.Class], test.Labels[LabelKeys.Subclass]);
            var r = within.Run(rTrain.Features, train.Labels[LabelKeys.Class], train.Labels[LabelKeys.Subclass], rTest.Features, test.Labels[LabelKeys.Class], test.Labels[LabelKeys.Subclass]);
            if (t.Rows > 0) collapse = CollapseVerdict.Judge(WithinReadout(t), WithinReadout(r), ReferenceKind.RandomInit, t.MeanChance);
        }
        var suppression = new List<SuppressionVerdict>();
        foreach (var s in trained.Where(s => labels.Contains(s.Label)))
        {
            var r = random.First(x => x.Label == s.Label);
            bool isClass = s.Label == ProbeSuite.KnnLabel;
            var mine = new Readout(Accuracy.FromRate(s.TestAccuracy, rows), isClass && double.IsFinite(knnClass) ? Accuracy.FromRate(knnClass, rows) : null);
            var theirs = new Readout(Accuracy.FromRate(r.TestAccuracy, rows), isClass && double.IsFinite(randomRun.KnnClassAccuracy) ? Accuracy.FromRate(randomRun.KnnClassAccuracy, rows) : null);
            suppression.Add(SuppressionVerdict.Judge(s.Label, mine, theirs, ReferenceKind.RandomInit, s.Chance ?? 0, s.Majority ?? 0));
        }
        var tc = trained.FirstOrDefault(p => p.Label == LabelKeys.Class);
        var rc = random.FirstOrDefault(p => p.Label == LabelKeys.Class);
        var learnt = tc is null || rc is null ? null : LearntVerdict.Judge(Accuracy.FromRate(tc.TestAccuracy, rows), Accuracy.FromRate(rc.TestAccuracy, rows));
        return new Verdicts(random, collapse, suppression, learnt);
    }

    private static Readout WithinReadout(WithinClassSubclassProbe.Result r) =>
        new(Accuracy.FromRate(r.MeanAccuracy, r.Rows), double.IsFinite(r.MeanKnnAccuracy) ? Accuracy.FromRate(r.MeanKnnAccuracy, r.Rows) : null);

    /// <summary>
    /// The representations of both splits by the run's architecture at its seeded initialisation (the random-init
    /// baseline; one feature pass, nothing trained). The tensors belong to the caller's dispose scope.
    /// </summary>
    public static (FeatureSet Train, FeatureSet Test) RandomInitFeatures(TrainConfig cfg, ImageDataset train, ImageDataset test, Device device)
    {
        var (state, input) = TrainingState.Create(cfg, train, device);
        using var _input = input;
        using var _state = state;
        return (FeatureExtractor.Extract(state.model, input, train, device), FeatureExtractor.Extract(state.model, input, test, device));
    }
}
