using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// What a sweep reproduces (sweep.json): the suite, its options and experiments, and how to submit it. With the
/// units of manifest.jsonl it is everything <see cref="SweepCollector"/> needs to write the suite's report.
/// </summary>
/// <param name="Suite">Which suite.</param>
/// <param name="Experiments">Experiment names, in report order.</param>
/// <param name="Theory">Theory suite options (theory sweeps).</param>
/// <param name="Real">Real suite options (real sweeps).</param>
/// <param name="Schedule">The real suite's schedule, fixed when planned.</param>
/// <param name="Cluster">Scheduler settings the scripts were written with.</param>
public sealed record SweepPlan(SuiteKind Suite, IReadOnlyList<string> Experiments, TheoryRunOptions? Theory, RealRunOptions? Real, RealSchedule? Schedule, ClusterOptions Cluster)
{
    /// <summary>A <c>--quick</c> plan: a smoke run, whose verdicts are not evidence (<see cref="Reporting.RunWriter.SmokeRunNote"/>).</summary>
    public bool IsSmokeRun => Theory?.Quick ?? Real?.Quick ?? false;

    /// <summary>Plans the theory suite: one unit per (experiment, seed).</summary>
    public static (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) ForTheory(TheoryRunOptions options, IReadOnlyList<ITheoryExperiment> experiments, ClusterOptions cluster)
    {
        options.Validate();
        var units = new List<SweepUnit>();
        foreach (var e in experiments)
            foreach (var seed in e.UnitSeeds(options))
            {
                int i = units.Count;
                units.Add(new SweepUnit(i, $"{e.Name}/seed-{seed}", e.Name, $"units/{i:D4}-{e.Name}-seed{seed}", DeviceChoice.Cpu.ToString(), new TheoryUnitWork(seed, options)));
            }
        return (new SweepPlan(SuiteKind.Theory, experiments.Select(e => e.Name).ToList(), options, null, null, cluster), units);
    }

    /// <summary>Plans the real suite: one unit per training run, on <see cref="RealRunOptions.Device"/>.</summary>
    public static (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) ForReal(RealRunOptions options, IReadOnlyList<IRealExperiment> experiments, ClusterOptions cluster)
    {
        // Units run elsewhere (another node, another working folder): the data folder is recorded as an absolute path.
        var o = options.Validate() with { DataDir = Path.GetFullPath(options.DataDir), OutDir = null };
        var schedule = RealScale.For(o);
        var units = new List<SweepUnit>();
        foreach (var e in experiments)
            foreach (var spec in e.Runs(o, schedule))
            {
                int i = units.Count;
                units.Add(new SweepUnit(i, $"{e.Name}/{spec.FolderName}", e.Name, $"units/{i:D4}-{e.Name}-{spec.FolderName}", spec.Config.Device.ToString(), new RealUnitWork(spec)));
            }
        return (new SweepPlan(SuiteKind.Real, experiments.Select(e => e.Name).ToList(), null, o with { Customize = null }, schedule, cluster), units);
    }
}
