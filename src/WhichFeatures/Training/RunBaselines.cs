using System.Globalization;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// What a probe accuracy must be compared with, and the verdicts that follow, for every probe report (train's final
/// evaluation and <c>probe</c>):
/// <list type="bullet">
/// <item>chance (1 / number of training categories) and majority (always predict the training majority) per label,
/// from Evaluation/LabelBaselines;</item>
/// <item>the same architecture at its seeded random initialisation, probed the same way (one feature pass);</item>
/// <item>for a class/subclass hierarchy, the within-class subclass probe (Evaluation/WithinClassSubclassProbe) of
/// the trained encoder against the random-init encoder: subclasses collapsed when the trained value is more than
/// <see cref="CollapseMargin"/> below the random-init value;</item>
/// <item>the encoder learnt when its class probe beats the random-init class probe by more than <see cref="LearnMargin"/>.</item>
/// </list>
/// </summary>
public static class RunBaselines
{
    /// <summary>Subclass collapse: trained within-class subclass accuracy below random init by more than this.</summary>
    public const double CollapseMargin = 0.02;
    /// <summary>Learnt: trained class probe test accuracy above random init by more than this.</summary>
    public const double LearnMargin = 0.01;

    /// <summary>The within-class subclass probe of the trained and the random-init encoder, and the verdict.</summary>
    public sealed record SubclassCollapse(double Trained, double RandomInit, double Chance, double Margin, bool Collapsed, string Line);

    /// <summary>All baselines and verdicts of one probed encoder.</summary>
    /// <param name="RandomInitProbes">The random-init encoder's probe scores per label.</param>
    /// <param name="Collapse">Null when the data has no class/subclass hierarchy.</param>
    /// <param name="Learnt">Class probe above random init by more than <see cref="LearnMargin"/>.</param>
    /// <param name="LearnLine">One sentence on <paramref name="Learnt"/>, with both numbers.</param>
    public sealed record Verdicts(IReadOnlyList<ProbeScore> RandomInitProbes, SubclassCollapse? Collapse, bool Learnt, string LearnLine);

    /// <summary>Adds chance and majority accuracy to each score of a dataset label (user labels keep theirs).</summary>
    public static IReadOnlyList<ProbeScore> WithChanceAndMajority(IReadOnlyList<ProbeScore> scores, ImageDataset train, ImageDataset test) =>
        scores.Select(s => train.Labels.TryGetValue(s.Label, out var tr) && test.Labels.TryGetValue(s.Label, out var te)
            ? s with { Chance = LabelBaselines.Chance(tr), Majority = LabelBaselines.Majority(tr, te) }
            : s).ToList();

    /// <summary>
    /// Probes the run's architecture at its seeded initialisation and compares: <paramref name="trained"/> are the
    /// trained encoder's scores, <paramref name="trainF"/>/<paramref name="testF"/> its representations.
    /// </summary>
    public static Verdicts Compute(TrainConfig cfg, ImageDataset train, ImageDataset test, FeatureSet trainF, FeatureSet testF,
        IReadOnlyList<ProbeScore> trained, LogisticRegressionProbe probe, Device device)
    {
        using var scope = NewDisposeScope();
        var (rTrain, rTest) = RandomInitFeatures(cfg, train, test, device);
        var labels = trained.Select(p => p.Label).Where(l => train.Labels.ContainsKey(l) && test.Labels.ContainsKey(l)).ToList();
        var random = new ProbeSuite(probe, withKnn: false).Run(rTrain, rTest, labels).Probes;
        Tensor trainH = trainF.Features, testH = testF.Features, rTrainH = rTrain.Features, rTestH = rTest.Features;   // [N, p], [M, p]
        SubclassCollapse? collapse = null;
        if (train.Labels.ContainsKey(LabelKeys.Subclass) && test.Labels.ContainsKey(LabelKeys.Subclass))
        {
            var within = new WithinClassSubclassProbe(probe);
            var t = within.Run(trainH, train.Labels[LabelKeys.Class], train.Labels[LabelKeys.Subclass], testH, test.Labels[LabelKeys.Class], test.Labels[LabelKeys.Subclass]);
            var r = within.Run(rTrainH, train.Labels[LabelKeys.Class], train.Labels[LabelKeys.Subclass], rTestH, test.Labels[LabelKeys.Class], test.Labels[LabelKeys.Subclass]);
            collapse = CollapseVerdict(t.MeanAccuracy, r.MeanAccuracy, t.MeanChance);
        }
        var (learnt, line) = LearnVerdict(trained, random);
        return new Verdicts(random, collapse, learnt, line);
    }

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

    /// <summary>The subclass-collapse verdict from the two within-class subclass accuracies.</summary>
    public static SubclassCollapse CollapseVerdict(double trained, double randomInit, double chance)
    {
        bool collapsed = trained < randomInit - CollapseMargin;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"Subclass collapse: {(collapsed ? "YES" : "no")}. Within-class subclass probe {trained:0.000} vs {randomInit:0.000} at random initialisation " +
            $"(chance {chance:0.000}); collapse means more than {CollapseMargin} below random initialisation.");
        return new SubclassCollapse(trained, randomInit, chance, CollapseMargin, collapsed, line);
    }

    /// <summary>Learnt when the class probe beats random init by more than <see cref="LearnMargin"/>.</summary>
    public static (bool Learnt, string Line) LearnVerdict(IReadOnlyList<ProbeScore> trained, IReadOnlyList<ProbeScore> randomInit)
    {
        var t = trained.FirstOrDefault(p => p.Label == LabelKeys.Class);
        var r = randomInit.FirstOrDefault(p => p.Label == LabelKeys.Class);
        if (t is null || r is null) return (true, "No class label to compare with random initialisation.");
        bool learnt = t.TestAccuracy > r.TestAccuracy + LearnMargin;
        return (learnt, string.Create(CultureInfo.InvariantCulture,
            $"class probe {t.TestAccuracy:0.000} vs {r.TestAccuracy:0.000} at random initialisation (learnt means more than {LearnMargin} above it)"));
    }
}
