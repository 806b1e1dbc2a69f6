using System.Globalization;
using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Comparison;

/// <summary>
/// Reads a <c>reproduce</c> or sweep folder: the plan and units (Sweeps/SweepFolder, with each unit's status), the
/// claims of its results.json once collected, and each finished real unit's probe accuracies (its result.json). The
/// suite is compared by its claims; its runs are listed, not merged into the per-label table.
/// </summary>
public static class SuiteReader
{
    /// <summary>Reads <paramref name="folder"/> (of kind <paramref name="kind"/>) as the input called <paramref name="name"/>.</summary>
    public static ComparedInput Read(string folder, string name, ComparedInputKind kind)
    {
        var (plan, units) = SweepFolder.Load(folder);
        var resultsPath = Path.Combine(folder, "results.json");
        var results = File.Exists(resultsPath) ? ReadResults(resultsPath) : null;
        var runs = SweepRunner.Status(folder, units).Select(s => Run(folder, s)).ToList();
        var summary = new SuiteSummary(plan.Suite.Name(), plan.IsSmokeRun, results is not null, results?.Claims.Select(Claim).ToList() ?? [], runs);
        var notes = new List<string>();
        if (results is null) notes.Add($"not collected yet: {runs.Count(r => r.Status == "done")} of {runs.Count} units done; 'whichfeatures sweep collect {folder}' writes its claims");
        if (plan.IsSmokeRun) notes.Add(RunWriter.SmokeRunNote);
        return new ComparedInput(name, folder, kind) { Suite = summary, Notes = notes };
    }

    private static RunWriter.ResultsJson ReadResults(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunWriter.ResultsJson>(File.ReadAllText(path), RunJson.Options) is { Claims: not null } r ? r
                : throw new UserInputException($"{path}: no claims; {InputFolderKind.Expected}.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a suite's results ({SweepFolder.OneLine(e.Message)}); {InputFolderKind.Expected}.", e);
        }
    }

    private static SuiteClaim Claim(RunWriter.ClaimJson c) => new(c.Id, c.Verdict ?? (c.Holds ? "holds" : "does not hold"), c.Criterion,
        string.Join("; ", c.Values.Take(3).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} = {kv.Value.Mean:0.####}"))));

    // A finished real unit's result.json holds its probe accuracies; a theory unit's numbers live in the claims.
    private static SuiteRun Run(string folder, UnitState s)
    {
        var status = s.Status == UnitStatus.Failed ? $"failed: {s.Error}" : s.Status.ToString().ToLowerInvariant();
        var unitFolder = s.Unit.FolderIn(folder);
        if (s.Unit.Work is not RealUnitWork || s.Status != UnitStatus.Done) return new SuiteRun(s.Unit.Id, s.Unit.Experiment, status, unitFolder, new Dictionary<string, double>());
        var result = SweepRunner.ReadResult<RealRunSummary>(folder, s.Unit);
        return new SuiteRun(s.Unit.Id, s.Unit.Experiment, status, Path.Combine(unitFolder, SweepRunner.TrainFolder), result.ProbeTest);
    }
}
