using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Class collapse over training (docs/paper.md §5): SupCon (SCL) on a dataset's superclasses. The original classes
/// are subclasses the loss never sees. Theory (CC-3) says collapse follows memorisation of a small fixed training
/// set: early on the encoder still carries generic features that separate subclasses, later SCL pulls each superclass
/// together and the subclass information fades. Each epoch's frozen features, at the encoder output and at the
/// projection output, get a fresh offline linear probe (an online probe that keeps learning would hide an early peak).
/// The schedule's other losses (<see cref="RealSchedule.CurveLosses"/>), trained identically, are shown beside SCL.
/// </summary>
public sealed class CcOverTrainingExperiment : IRealExperiment
{
    /// <summary>The claim id.</summary>
    public const string ClaimId = "REAL-CC-CURVE";
    /// <summary>How far (accuracy, fraction) the subclass peak must exceed the last epoch's value.</summary>
    public const double MinDrop = 0.03;
    /// <summary>The layer the claim is decided on (chosen on the validation split; both layers are reported).</summary>
    public const string ClaimLayer = OfflineProbeCurve.ProjectionLayer;
    private static IReadOnlyList<string> Layers => OfflineProbeCurve.Layers;   // encoder output, projection output

    /// <summary>SCL's subclass curve over seeds: each seed's peak and its last-epoch value.</summary>
    public sealed record CurveStats(Stat Peak, Stat Last);

    private static readonly Threshold MinDropThreshold = new("min_drop", MinDrop);

    /// <summary>The claim's criterion, on SCL's subclass curve at <see cref="ClaimLayer"/>.</summary>
    public static readonly Criterion<CurveStats> SubclassRisesThenFalls = new(
        $"SCL, subclass accuracy of a fresh offline linear probe on each epoch's frozen {ClaimLayer} output, over {SeedGap.SeedCount} seeds: " +
        $"mean(peak over epochs) - mean(last epoch) >= {MinDropThreshold}, and that gap larger than {SeedGap.Spread} x the larger standard deviation over seeds of the peaks and the last values",
        (c, x) => x.Peak.Mean - x.Last.Mean >= c[MinDropThreshold] && SeedGap.Clear(x.Last, x.Peak));

    /// <inheritdoc />
    public string Name => "cc-over-training";
    /// <inheritdoc />
    public string Description => "SCL on superclasses: subclass probe accuracy every epoch (fresh offline probe, encoder and projection outputs); the schedule's other losses alongside";
    /// <inheritdoc />
    public IReadOnlyList<string> ClaimIds => [ClaimId];

    // The curves' losses by name, SCL (the claim's) first.
    private static (string Name, ContrastiveLossKind Kind)[] Losses(RealSchedule s) =>
        [.. s.CurveLosses.OrderBy(k => k != ContrastiveLossKind.Scl).Select(k => (ContrastiveLossKinds.All.NameOf(k), k))];

    /// <inheritdoc />
    public IReadOnlyList<RealRunSpec> Runs(RealRunOptions options, RealSchedule s)
    {
        var o = options.Validate();
        if (!s.CurveLosses.Contains(ContrastiveLossKind.Scl)) throw new Core.UserInputException($"{Name}: the curve losses must include SCL (the claim's loss).");
        return Losses(s).SelectMany(l => RealRunner.SeedList(o, s.Curve).Select(seed => new RealRunSpec(Name, $"{l.Name}-superclasses",
            RealRunner.Config(o, s, s.Curve, seed, l.Kind, beta: s.JointBeta, curve: true),
            [LabelKeys.Class, LabelKeys.Subclass], s.ProbeIterations))).ToList();
    }

    /// <inheritdoc />
    public ExperimentResult Summarise(RealRunOptions o, RealSchedule s, IReadOnlyList<RealRunSummary> results)
    {
        var curves = new SubclassCurves(Losses(s).ToDictionary(l => l.Name, l => RealRunner.WithTag(results, $"{l.Name}-superclasses")));
        var result = new ExperimentResult { Name = Name, Parameters = new { Options = o, Schedule = s } };
        result.Tables.Add(CurvesTable(curves));
        var plots = new List<string>();
        foreach (var layer in Layers)
        {
            var plot = SubclassPlot(curves, layer, s.Curve.Epochs);
            plots.Add(plot.FileName);
            result.Plots.Add(plot);
        }
        result.Tables.Add(SummaryTable(curves));

        var stats = new CurveStats(curves.Peak("scl", ClaimLayer), curves.Last("scl", ClaimLayer));
        bool holds = SubclassRisesThenFalls.Holds(stats);
        var allRuns = curves.Runs.Values.SelectMany(l => l).ToList();
        result.Claims.Add(new ClaimResult
        {
            Id = ClaimId,
            Statement = "Under SupCon on superclasses, subclass accuracy rises early in training and then falls (class collapse happens over training).",
            Criterion = SubclassRisesThenFalls.Sentence((SeedGap.SeedCount, RealRunner.SeedCount(o, s.Curve))),
            Holds = holds,
            Method = $"SupCon/SCL on superclasses, {s.Describe()}; {s.Curve.Describe()}; {string.Join(" and ", Losses(s).Skip(1).Select(l => l.Kind == ContrastiveLossKind.Joint ? $"joint (beta {s.JointBeta:g2})" : l.Name.ToUpperInvariant()))} identical otherwise; " +
                     "every epoch a fresh offline linear probe on the frozen encoder and projection outputs" + o.ScoredSplitNote,
            Values = ValueRows(curves),
            Notes = $"{SeedGap.Describe("last epoch", stats.Last, "peak", stats.Peak)}. " +
                    string.Join("; ", curves.Runs.Keys.SelectMany(name => Layers.Select(layer => curves.Drop(name, layer)))) + ". " +
                    $"{RealRunner.Cost(allRuns)}." +
                    (holds ? "" : " Not shown at this scale: see the gap above and the per-epoch table."),
            Plots = plots,
        });
        result.Tables.Add(RealRunner.BaselineTable($"{Name.Replace('-', '_')}_baselines", allRuns));
        return result;
    }

    /// <summary>Each loss's runs (by loss name) and their subclass curves' peaks and last values over seeds.</summary>
    private sealed record SubclassCurves(Dictionary<string, List<RealRunSummary>> Runs)
    {
        public Stat Peak(string loss, string layer) => RealRunner.Over(Runs[loss], r => r.OfflineCurve(layer, LabelKeys.Subclass).Where(double.IsFinite).Max());

        public Stat Last(string loss, string layer) => RealRunner.Over(Runs[loss], r => r.OfflineCurve(layer, LabelKeys.Subclass)[^1]);

        // 1-based; epochs without an offline probe (NaN) are never the peak.
        public Stat PeakEpoch(string loss, string layer) => RealRunner.Over(Runs[loss], r =>
        {
            var c = r.OfflineCurve(layer, LabelKeys.Subclass);
            return 1 + Array.IndexOf(c, c.Where(double.IsFinite).Max());
        });

        public string Drop(string loss, string layer) =>
            $"{loss.ToUpperInvariant()} {layer}: peak {RealRunner.Fixed4(Peak(loss, layer).Mean)} at epoch {PeakEpoch(loss, layer).Mean:0.#}, last {RealRunner.Fixed4(Last(loss, layer).Mean)}";
    }

    private static DataTable CurvesTable(SubclassCurves curves)
    {
        var table = new DataTable("cc_over_training_curves", "loss", "seed", "epoch", "subclass_encoder", "subclass_projection", "class_encoder", "class_projection",
            "subclass_online", "train_loss");
        foreach (var name in curves.Runs.Keys)
            foreach (var r in curves.Runs[name])
                for (int e = 0; e < r.History.Count; e++)
                    table.Add(name, r.Seed, r.History[e].Epoch, r.OfflineCurve(OfflineProbeCurve.EncoderLayer, LabelKeys.Subclass)[e], r.OfflineCurve(OfflineProbeCurve.ProjectionLayer, LabelKeys.Subclass)[e],
                        r.OfflineCurve(OfflineProbeCurve.EncoderLayer, LabelKeys.Class)[e], r.OfflineCurve(OfflineProbeCurve.ProjectionLayer, LabelKeys.Class)[e], r.OnlineCurve(LabelKeys.Subclass)[e], r.History[e].Loss);
        return table;
    }

    // Every loss's mean subclass curve (± std over seeds) at one layer, with chance for the number of subclasses.
    private static PlotSpec SubclassPlot(SubclassCurves curves, string layer, int epochCount)
    {
        var epochs = Enumerable.Range(1, epochCount).Select(e => (double)e).ToArray();
        PlotSeries Mean(string loss)
        {
            var per = curves.Runs[loss].Select(r => r.OfflineCurve(layer, LabelKeys.Subclass)).ToList();
            var mean = epochs.Select((_, i) => per.Average(c => c[i])).ToArray();
            var std = epochs.Select((_, i) => per.Count > 1 ? Stat.Of(per.Select(c => c[i])).Std : 0).ToArray();
            return new PlotSeries($"{loss.ToUpperInvariant()}, {layer} output", epochs, mean, std);
        }
        int subclasses = curves.Runs["scl"][0].Baselines.TryGetValue(LabelKeys.Subclass, out var sb) && sb.Chance is { } ch && ch > 0 ? (int)Math.Round(1 / ch) : 10;
        return new PlotSpec($"cc_over_training_subclass_{layer}.png", $"Subclass accuracy over training, fresh offline probe on the {layer} output", "epoch",
            "subclass linear-probe accuracy", [.. curves.Runs.Keys.Select(Mean)],
            ReferenceLines: [new ReferenceLine($"chance ({subclasses} subclasses)", 1.0 / subclasses)], YMin: 0, YMax: 1, IntegerX: true);
    }

    private static DataTable SummaryTable(SubclassCurves curves)
    {
        var summary = new DataTable("cc_over_training_summary", "loss", "layer", "subclass_peak", "subclass_peak_std", "subclass_peak_epoch", "subclass_last", "subclass_last_std", "peak_minus_last");
        foreach (var name in curves.Runs.Keys)
            foreach (var layer in Layers)
                summary.Add(name, layer, curves.Peak(name, layer).Mean, curves.Peak(name, layer).Std, curves.PeakEpoch(name, layer).Mean, curves.Last(name, layer).Mean, curves.Last(name, layer).Std,
                    curves.Peak(name, layer).Mean - curves.Last(name, layer).Mean);
        return summary;
    }

    private static List<KeyValuePair<string, Stat>> ValueRows(SubclassCurves curves)
    {
        var values = new List<KeyValuePair<string, Stat>>();
        foreach (var name in curves.Runs.Keys)
            foreach (var layer in Layers)
            {
                values.Add(new($"{name}_subclass_peak_{layer}", curves.Peak(name, layer)));
                values.Add(new($"{name}_subclass_peak_epoch_{layer}", curves.PeakEpoch(name, layer)));
                values.Add(new($"{name}_subclass_last_{layer}", curves.Last(name, layer)));
            }
        return values;
    }
}
