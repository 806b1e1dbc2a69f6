using WhichFeatures.Data;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Whether a reference encoder (trained without the easy feature) actually learnt, so that a finding is not
/// measured on noise. Two bars on the mean class-probe accuracy over seeds:
/// <list type="bullet">
/// <item>it beats the same architecture at random initialisation by <see cref="MinGain"/> (0.15); where the random
/// encoder is already above 1 - 2 x 0.15 (ConvN on MNIST reaches about 0.89) that is out of reach, and the bar is
/// instead to remove half of the random encoder's error, <c>(1 - random) / 2</c>;</item>
/// <item>it reaches <see cref="LiteratureFraction"/> of the linear-probe accuracy published for the dataset
/// (<see cref="Literature"/>; sources in docs/real-experiments.md).</item>
/// </list>
/// </summary>
/// <param name="Label">The probed label (class, or digit).</param>
/// <param name="Dataset">Canonical dataset name.</param>
/// <param name="Trained">Probe accuracy of the trained encoders, per seed.</param>
/// <param name="RandomInit">Probe accuracy of the same encoders at their seeded initialisation, per seed.</param>
public sealed record LearningBar(string Label, string Dataset, Stat Trained, Stat RandomInit)
{
    /// <summary>How far above the random-init probe a trained probe must be.</summary>
    public const double MinGain = 0.15;
    /// <summary>The share of the published accuracy a CPU-scale encoder must reach.</summary>
    public const double LiteratureFraction = 0.6;

    /// <summary>Published linear-probe accuracy of a contrastive encoder per dataset (null where none is known).</summary>
    public static double? Literature(string dataset) => dataset switch
    {
        DatasetRegistry.Mnist => 0.899,     // ConvN, 10 epochs, no RandBit (docs/real-experiments.md)
        DatasetRegistry.Cifar10 => 0.9074,  // SimCLR ResNet-18, 1,000 epochs (docs/real-experiments.md)
        _ => null,
    };

    /// <summary>The gain over random initialisation this encoder needs.</summary>
    public double RequiredGain => Math.Min(MinGain, (1 - RandomInit.Mean) / 2);
    /// <summary>Whether the trained probe beats random initialisation by <see cref="RequiredGain"/>.</summary>
    public bool BeatsRandomInit => Trained.Mean - RandomInit.Mean >= RequiredGain;
    /// <summary>Whether it reaches <see cref="LiteratureFraction"/> of <see cref="Literature"/> (true where none is known).</summary>
    public bool ReachesLiterature => Literature(Dataset) is not { } lit || Trained.Mean >= LiteratureFraction * lit;
    /// <summary>Both bars.</summary>
    public bool Clears => BeatsRandomInit && ReachesLiterature;

    /// <summary>The bars of the runs in <paramref name="runs"/> (one configuration, all seeds) on <paramref name="label"/>.</summary>
    public static LearningBar Of(IReadOnlyCollection<RealRunSummary> runs, string label) => new(label, runs.First().Config.Dataset,
        RealRunner.Over(runs, r => r.ProbeTest[label]),
        RealRunner.Over(runs, r => r.Baselines.TryGetValue(label, out var b) && b.RandomInit is { } ri ? ri : double.NaN));

    /// <summary>One sentence for notes.</summary>
    public string Describe(string run) =>
        $"learning bars of {run} ({Label}): {RealRunner.Fixed4(Trained.Mean)} vs random init {RealRunner.Fixed4(RandomInit.Mean)} " +
        $"(needs +{RealRunner.Fixed4(RequiredGain)}: {(BeatsRandomInit ? "met" : "NOT met")})" +
        (Literature(Dataset) is { } lit ? $", vs {LiteratureFraction:0%} of the published {RealRunner.Fixed4(lit)} = {RealRunner.Fixed4(LiteratureFraction * lit)} ({(ReachesLiterature ? "met" : "NOT met")})" : ", no published number for this dataset");

    /// <summary>A table row set: one row per reference configuration.</summary>
    public static DataTable Table(string name, IEnumerable<(string Run, LearningBar Bar)> bars)
    {
        var t = new DataTable(name, "run", "label", "dataset", "probe_mean", "probe_std", "random_init_mean", "required_gain", "beats_random_init",
            "literature", "literature_fraction", "reaches_literature", "clears");
        foreach (var (run, b) in bars)
            t.Add(run, b.Label, b.Dataset, b.Trained.Mean, b.Trained.Std, b.RandomInit.Mean, b.RequiredGain, b.BeatsRandomInit ? "yes" : "no",
                Literature(b.Dataset) ?? double.NaN, LiteratureFraction, b.ReachesLiterature ? "yes" : "no", b.Clears ? "yes" : "no");
        return t;
    }
}
