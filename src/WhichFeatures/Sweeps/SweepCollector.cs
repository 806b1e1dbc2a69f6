using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>
/// Turns a finished sweep into the suite's report: every experiment summarises its units' results, and the same
/// writer as a local <c>reproduce</c> writes results.json, config.json, CSVs, plots and report.html into the sweep folder.
/// </summary>
public static class SweepCollector
{
    /// <summary>
    /// Summarises every experiment of the sweep in <paramref name="sweepDir"/>. Refuses (a <see cref="UserInputException"/>
    /// naming them) while any unit is not done.
    /// </summary>
    public static (IReadOnlyList<ExperimentResult> Results, object Config) Summarise(string sweepDir, SweepPlan plan, IReadOnlyList<SweepUnit> units)
    {
        var missing = SweepRunner.Status(sweepDir, units).Where(s => s.Status != UnitStatus.Done).ToList();
        if (missing.Count > 0)
        {
            string Describe(UnitState s) => $"{s.Unit.Index} {s.Unit.Id} ({s.Status.ToString().ToLowerInvariant()}{(s.Error is null ? "" : ": " + s.Error)})";
            throw new UserInputException($"sweep {sweepDir}: {missing.Count} of {units.Count} units are not done: {string.Join("; ", missing.Take(10).Select(Describe))}{(missing.Count > 10 ? "; ..." : "")}. Run them (sweep run DIR --index I, or --all) and collect again.");
        }
        var results = new List<ExperimentResult>();
        if (plan.Theory is { } theory)
        {
            foreach (var e in SweepFolder.TheoryExperiments(plan))
                results.Add(e.WithUnits(new TheoryUnitsSummary(sweepDir, theory, units.Where(u => u.Experiment == e.Name).ToList())));
            return (results, new { suite = plan.Suite.Name(), theory.Seeds, theory.BaseSeed, theory.Quick, experiments = results.Select(r => new { r.Name, r.Parameters }) });
        }
        var options = plan.Real!;
        foreach (var e in SweepFolder.RealExperiments(plan))
            results.Add(e.Summarise(options, plan.Schedule!, units.Where(u => u.Experiment == e.Name).Select(u => SweepRunner.ReadResult<RealRunSummary>(sweepDir, u)).ToList()));
        return (results, new { suite = plan.Suite.Name(), options, experiments = results.Select(r => new { r.Name, r.Parameters }) });
    }

    /// <summary>Reads one theory experiment's units at its own result type and summarises them.</summary>
    private sealed class TheoryUnitsSummary(string sweepDir, TheoryRunOptions options, IReadOnlyList<SweepUnit> units) : ITheoryUnitsUser<ExperimentResult>
    {
        public ExperimentResult Use<TUnit>(ITheoryUnits<TUnit> experiment) where TUnit : notnull =>
            experiment.Summarise(options, units.Select(u => SweepRunner.ReadResult<TUnit>(sweepDir, u)).ToList());
    }

    /// <summary>Summarises the sweep and writes the report files into <paramref name="sweepDir"/>.</summary>
    public static IReadOnlyList<ExperimentResult> Collect(string sweepDir, string command, DateTime startedUtc)
    {
        var (plan, units) = SweepFolder.Load(sweepDir);
        var (results, config) = Summarise(sweepDir, plan, units);
        RunWriter.Write(sweepDir, plan.Suite.Name(), results, config, RunProvenance.Capture(command, startedUtc), plan.IsSmokeRun);
        return results;
    }
}
