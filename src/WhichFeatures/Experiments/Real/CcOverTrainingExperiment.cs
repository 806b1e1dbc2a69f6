using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Class collapse over training (docs/paper.md §5): SupCon (SCL) on CIFAR-10's 2 superclasses (vehicles / animals).
/// The 10 original classes are subclasses the loss never sees; their probe accuracy rises early in training, while
/// the encoder still carries generic image features, and falls later as SCL collapses each superclass. UCL and
/// the joint loss, trained identically, are shown on the same plot.
/// </summary>
public sealed class CcOverTrainingExperiment : IRealExperiment
{
    /// <summary>The claim id.</summary>
    public const string ClaimId = "REAL-CC-CURVE";
    /// <summary>How far (accuracy, fraction) the subclass peak must exceed the final value.</summary>
    public const double MinDrop = 0.03;

    /// <summary>The claim's criterion, decided on the mean over seeds of SCL's subclass (peak - last epoch).</summary>
    public static readonly Criterion<double> SubclassRisesThenFalls = new(
        "SCL: mean over {seeds} seeds of (peak - last-epoch value) of the subclass online-probe test accuracy >= {min_drop} (3 points). " +
        "The curve is the online linear probe (Adam on detached encoder outputs of the training views) scored on the test split after every epoch; " +
        "the peak is read on that same curve, as in the paper's plot; nothing is selected from it.",
        (c, meanDrop) => meanDrop >= c["min_drop"],
        new Threshold("min_drop", MinDrop));

    /// <inheritdoc />
    public string Name => "cc-over-training";
    /// <inheritdoc />
    public string Description => "SCL on CIFAR-10's 2 superclasses: subclass (10-way) probe accuracy every epoch; UCL and joint alongside";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId];

    /// <inheritdoc />
    public ExperimentResult Run(RealRunOptions options, IRunProgress progress, CancellationToken ct = default)
    {
        var o = options.Validate();
        var s = RealScale.For(o);
        var losses = new (string Name, ContrastiveLossKind Kind)[] { ("scl", ContrastiveLossKind.Scl), ("ucl", ContrastiveLossKind.Ucl), ("joint", ContrastiveLossKind.Joint) };
        var runs = new Dictionary<string, List<RealRunSummary>>();
        foreach (var (name, kind) in losses)
        {
            var list = runs[name] = [];
            foreach (int seed in RealRunner.SeedList(o))
            {
                var cfg = RealRunner.Config(o, s, seed, DatasetRegistry.Cifar10, kind, beta: s.JointBeta, superclasses: true, epochs: s.CurveEpochs, evalEveryEpoch: true);
                list.Add(RealRunner.Train(Name, $"{name}-superclasses", cfg, [LabelKeys.Class, LabelKeys.Subclass], o, s, progress, ct));
            }
        }

        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s } };
        var epochs = Enumerable.Range(1, s.CurveEpochs).Select(e => (double)e).ToArray();
        var curves = new DataTable("cc_over_training_curves", "loss", "seed", "epoch", "subclass_online_test", "class_online_test", "knn_class", "train_loss");
        foreach (var (name, _) in losses)
            foreach (var r in runs[name])
                foreach (var h in r.History)
                    curves.Add(name, r.Seed, h.Epoch, Get(h.OnlineTestAccuracy, LabelKeys.Subclass), Get(h.OnlineTestAccuracy, LabelKeys.Class), h.KnnClassAccuracy, h.Loss);
        result.Tables.Add(curves);

        PlotSeries Mean(string name, string label, string key)
        {
            var per = runs[name].Select(r => r.OnlineCurve(key)).ToList();
            var mean = epochs.Select((_, i) => per.Average(c => c[i])).ToArray();
            var std = epochs.Select((_, i) => per.Count > 1 ? Stat.Of(per.Select(c => c[i])).Std : 0).ToArray();
            return new PlotSeries(label, epochs, mean, std);
        }
        const string subclassPlot = "cc_over_training_subclass.png", classPlot = "cc_over_training_class.png";
        result.Plots.Add(new PlotSpec(subclassPlot, "Subclass (10-way) accuracy over training, CIFAR-10 with 2 superclasses", "epoch",
            "online linear probe, test split", [.. losses.Select(l => Mean(l.Name, l.Name.ToUpperInvariant(), LabelKeys.Subclass))],
            ReferenceLines: [new ReferenceLine("chance (10 subclasses)", 0.1)], YMin: 0, YMax: 1));
        result.Plots.Add(new PlotSpec(classPlot, "Superclass (2-way) accuracy over training", "epoch",
            "online linear probe, test split", [.. losses.Select(l => Mean(l.Name, l.Name.ToUpperInvariant(), LabelKeys.Class))],
            ReferenceLines: [new ReferenceLine("chance (2 superclasses)", 0.5)], YMin: 0, YMax: 1));

        // Per seed: the peak of the SCL subclass curve and its value at the last epoch (both on the test split).
        Stat Peak(string n) => RealRunner.Over(runs[n], r => r.OnlineCurve(LabelKeys.Subclass).Where(double.IsFinite).Max());
        Stat Final(string n) => RealRunner.Over(runs[n], r => r.OnlineFinal(LabelKeys.Subclass));
        Stat Drop(string n) => RealRunner.Over(runs[n], r => r.OnlineCurve(LabelKeys.Subclass).Where(double.IsFinite).Max() - r.OnlineFinal(LabelKeys.Subclass));
        Stat PeakEpoch(string n) => RealRunner.Over(runs[n], r => 1 + Array.IndexOf(r.OnlineCurve(LabelKeys.Subclass), r.OnlineCurve(LabelKeys.Subclass).Where(double.IsFinite).Max()));
        Stat Offline(string n, string key) => RealRunner.Over(runs[n], r => r.ProbeTest[key]);

        var summary = new DataTable("cc_over_training_summary", "loss", "subclass_peak", "subclass_peak_epoch", "subclass_final", "peak_minus_final", "subclass_offline_probe", "class_offline_probe");
        foreach (var (name, _) in losses)
            summary.Add(name, Peak(name).Mean, PeakEpoch(name).Mean, Final(name).Mean, Drop(name).Mean, Offline(name, LabelKeys.Subclass).Mean, Offline(name, LabelKeys.Class).Mean);
        result.Tables.Add(summary);

        var drop = Drop("scl");
        bool holds = SubclassRisesThenFalls.Holds(drop.Mean);
        var values = new List<KeyValuePair<string, Stat>>
        {
            new("scl_subclass_peak", Peak("scl")), new("scl_subclass_peak_epoch", PeakEpoch("scl")), new("scl_subclass_final", Final("scl")), new("scl_peak_minus_final", drop),
        };
        foreach (var n in new[] { "ucl", "joint" }) { values.Add(new($"{n}_subclass_peak", Peak(n))); values.Add(new($"{n}_subclass_final", Final(n))); values.Add(new($"{n}_peak_minus_final", Drop(n))); }
        foreach (var (n, _) in losses) { values.Add(new($"{n}_subclass_offline_probe", Offline(n, LabelKeys.Subclass))); values.Add(new($"{n}_class_offline_probe", Offline(n, LabelKeys.Class))); }

        result.Claims.Add(new ClaimResult
        {
            Id = ClaimId,
            Statement = "Under SupCon on superclasses, subclass accuracy rises early in training and then falls (class collapse happens over training).",
            Criterion = SubclassRisesThenFalls.Sentence(("seeds", o.Seeds)),
            Holds = holds,
            Method = $"SupCon/SCL on vehicles / animals, {s.Describe(randBits: false)}; this experiment trains {s.CurveEpochs} epochs; UCL and joint (beta {s.JointBeta:g2}) identical otherwise",
            Values = values,
            Notes = $"SCL subclass peak {RealRunner.Describe(Peak("scl"))} at epoch {PeakEpoch("scl").Mean:0.#}, last epoch {RealRunner.Describe(Final("scl"))}, drop {RealRunner.Describe(drop)}. " +
                    $"UCL drop {RealRunner.Describe(Drop("ucl"))}, joint drop {RealRunner.Describe(Drop("joint"))}. " +
                    $"Offline probe at the last epoch, subclass: SCL {RealRunner.Fixed4(Offline("scl", LabelKeys.Subclass).Mean)}, UCL {RealRunner.Fixed4(Offline("ucl", LabelKeys.Subclass).Mean)}, joint {RealRunner.Fixed4(Offline("joint", LabelKeys.Subclass).Mean)} " +
                    $"(a peer's SupCon-on-superclasses ResNet reaches 0.518, docs/paper.md §6). {RealRunner.Cost(runs.Values.SelectMany(l => l).ToList())}." +
                    (holds ? "" : " The rise-then-fall did not appear at this scale (too few epochs for SCL to collapse the subclasses; the online probe also lags the encoder)."),
            Plots = [subclassPlot, classPlot],
        });
        return result;
    }

    private static double Get(Dictionary<string, double> d, string key) => d.TryGetValue(key, out var v) ? v : double.NaN;
}
