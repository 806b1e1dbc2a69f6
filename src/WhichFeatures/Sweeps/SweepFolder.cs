using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>
/// A sweep on disk: sweep.json (the plan), manifest.jsonl (one unit per line), the scheduler scripts, README.md,
/// and units/ where each unit writes its own sub-folder. Loading validates every line, so a hand-edited manifest
/// is refused with the line that is wrong.
/// </summary>
public static class SweepFolder
{
    /// <summary>The plan file.</summary>
    public const string PlanFile = "sweep.json";
    /// <summary>The unit list, one JSON object per line.</summary>
    public const string ManifestFile = "manifest.jsonl";

    private static readonly JsonSerializerOptions Line = new(RunJson.Options) { WriteIndented = false };

    /// <summary>The manifest's text for <paramref name="units"/>.</summary>
    public static string ManifestText(IReadOnlyList<SweepUnit> units) =>
        string.Concat(units.Select(u => JsonSerializer.Serialize(u, Line) + "\n"));

    /// <summary>Whether <paramref name="dir"/> already holds exactly this plan (a rerun continues it).</summary>
    public static bool Holds(string dir, SweepPlan plan, IReadOnlyList<SweepUnit> units) =>
        File.Exists(Path.Combine(dir, PlanFile)) && File.Exists(Path.Combine(dir, ManifestFile))
        && File.ReadAllText(Path.Combine(dir, PlanFile)) == RunJson.Serialize(plan)
        && File.ReadAllText(Path.Combine(dir, ManifestFile)) == ManifestText(units);

    /// <summary>Writes the plan, manifest, Slurm and Kubernetes scripts and README into <paramref name="dir"/> (created if missing).</summary>
    public static void Write(string dir, SweepPlan plan, IReadOnlyList<SweepUnit> units)
    {
        Directory.CreateDirectory(Path.Combine(dir, "units"));
        Directory.CreateDirectory(Path.Combine(dir, "logs"));
        var full = Path.GetFullPath(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, SweepScripts.SlurmFile), SweepScripts.Slurm(full, plan, units.Count));
        AtomicFile.WriteAllText(Path.Combine(dir, SweepScripts.KubernetesFile), SweepScripts.Kubernetes(plan, units.Count));
        AtomicFile.WriteAllText(Path.Combine(dir, "README.md"), SweepScripts.Readme(full, plan, units.Count));
        AtomicFile.WriteAllText(Path.Combine(dir, PlanFile), RunJson.Serialize(plan));
        // Last: a folder with a manifest is a complete plan.
        AtomicFile.WriteAllText(Path.Combine(dir, ManifestFile), ManifestText(units));
    }

    /// <summary>
    /// Writes the sweep into <paramref name="planDir"/> (<c>reproduce --plan</c>), which must be new or empty: a sweep
    /// never writes over another. Returns the folder's full path.
    /// </summary>
    public static string WriteNew(string planDir, SweepPlan plan, IReadOnlyList<SweepUnit> units)
    {
        var full = Path.GetFullPath(planDir);
        if (File.Exists(full) || (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any()))
            throw new UserInputException($"--plan {planDir}: the folder exists and is not empty; expected a new or empty folder (a sweep never writes over another).");
        Write(full, plan, units);
        return full;
    }

    /// <summary>
    /// Makes <paramref name="dir"/> hold this plan for a local run: when it already does (a rerun of the same
    /// command) the units done so far are kept and true is returned; otherwise any other sweep's units are removed
    /// (their results belong to other options) and the plan is written.
    /// </summary>
    public static bool PrepareToContinue(string dir, SweepPlan plan, IReadOnlyList<SweepUnit> units)
    {
        if (Holds(dir, plan, units)) return true;
        var unitsDir = Path.Combine(dir, "units");
        if (Directory.Exists(unitsDir)) Directory.Delete(unitsDir, recursive: true);
        Write(dir, plan, units);
        return false;
    }

    /// <summary>Reads and validates the sweep in <paramref name="dir"/>; anything wrong is a <see cref="UserInputException"/> naming the file.</summary>
    public static (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) Load(string dir)
    {
        var planPath = Path.Combine(dir, PlanFile);
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!Directory.Exists(dir)) throw new UserInputException($"{dir}: folder not found; expected a sweep folder made by `reproduce --plan {dir}`.");
        if (!File.Exists(planPath) || !File.Exists(manifestPath))
            throw new UserInputException($"{dir}: not a sweep folder (no {PlanFile} and {ManifestFile}); expected a folder made by `reproduce --plan DIR`.");
        SweepPlan plan;
        try { plan = JsonSerializer.Deserialize<SweepPlan>(File.ReadAllText(planPath), RunJson.Options) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new UserInputException($"{planPath}: not a valid sweep plan ({OneLine(e.Message)}).", e); }
        if (!Enum.IsDefined(plan.Suite) || (plan.Suite == SuiteKind.Theory) != (plan.Theory is not null) || (plan.Suite == SuiteKind.Real) != (plan.Real is not null && plan.Schedule is not null))
            throw new UserInputException($"{planPath}: not a valid sweep plan (suite \"{(Enum.IsDefined(plan.Suite) ? plan.Suite.Name() : plan.Suite)}\" without its options).");

        var units = new List<SweepUnit>();
        var lines = File.ReadAllLines(manifestPath);
        for (int n = 0; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n])) continue;
            string where = $"{manifestPath} line {n + 1}";
            ManifestLine? u;
            try { u = JsonSerializer.Deserialize<ManifestLine>(lines[n], Line); }
            catch (JsonException e) { throw new UserInputException($"{where}: not valid JSON for a unit ({OneLine(e.Message)}).", e); }
            if (u is null || u.Id is null || u.Experiment is null || u.Dir is null) throw new UserInputException($"{where}: expected a unit object with index, id, experiment and dir.");
            if (u.Index != units.Count) throw new UserInputException($"{where}: index {u.Index}, expected {units.Count} (units are numbered from 0 in file order).");
            var normalized = u.Dir.Replace('\\', '/');
            if (!normalized.StartsWith("units/", StringComparison.Ordinal) || normalized.Split('/').Any(p => p is ".." or "") || Path.IsPathRooted(u.Dir))
                throw new UserInputException($"{where}: dir \"{u.Dir}\" must be a sub-folder of units/.");
            if (!plan.Experiments.Contains(u.Experiment)) throw new UserInputException($"{where}: experiment \"{u.Experiment}\" is not in the plan ({string.Join(", ", plan.Experiments)}).");
            bool ok = plan.Suite == SuiteKind.Theory ? u.Work is TheoryUnitWork : u.Work is RealUnitWork;
            if (!ok) throw new UserInputException($"{where}: a {plan.Suite.Name()} unit needs its \"{(plan.Suite == SuiteKind.Theory ? "theory\" options and \"seed" : "real")}\" and nothing else.");
            units.Add(u.ToUnit());
        }
        if (units.Count == 0) throw new UserInputException($"{manifestPath}: no units.");
        if (units.Select(u => u.Dir).Distinct().Count() != units.Count) throw new UserInputException($"{manifestPath}: two units share an output folder.");
        return (plan, units);
    }

    /// <summary>The theory experiments of <paramref name="plan"/>, in report order.</summary>
    public static IReadOnlyList<ITheoryExperiment> TheoryExperiments(SweepPlan plan) => plan.Experiments.Select(TheorySuite.Get).ToList();

    /// <summary>The real experiments of <paramref name="plan"/>, in report order.</summary>
    public static IReadOnlyList<IRealExperiment> RealExperiments(SweepPlan plan) => plan.Experiments.Select(RealSuite.Get).ToList();

    /// <summary>First line of <paramref name="text"/>, for one-line errors.</summary>
    public static string OneLine(string text) => text.Split('\n', 2)[0].Trim();
}
