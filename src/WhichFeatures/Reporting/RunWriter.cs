using System.Text.Json.Serialization;

namespace WhichFeatures.Reporting;

/// <summary>
/// Writes a run folder: results.json (top-level "claims"), config.json, one CSV per table, one PNG per plot,
/// and report.html (plots embedded) with report.md beside it. Every file is written atomically, and
/// results.json last, so a folder with a results.json is complete.
/// </summary>
public static class RunWriter
{
    /// <summary>The claim entry of results.json (<c>tables</c> only where the claim has some).</summary>
    public sealed record ClaimJson(
        string Id, bool Holds, string Criterion, string Statement, string Method,
        IReadOnlyDictionary<string, Stat> Values, string Notes, IReadOnlyList<string> Plots, string Experiment,
        string? Verdict = null, object? Evidence = null, string ValuesOver = "seed", IReadOnlyList<ClaimTable>? Tables = null);

    /// <summary>The whole results.json.</summary>
    /// <param name="Suite">Suite or experiment name.</param>
    /// <param name="Claims">Every claim with its verdict.</param>
    /// <param name="Experiments">Each experiment's CSV and PNG files.</param>
    /// <param name="Provenance">Machine, versions, command line and wall time.</param>
    /// <param name="SmokeRun">A <c>--quick</c> run: smaller sizes, fewer steps and seeds, so its verdicts are not evidence.</param>
    public sealed record ResultsJson(
        string Suite, [property: JsonPropertyName("claims")] IReadOnlyList<ClaimJson> Claims,
        IReadOnlyList<ExperimentJson> Experiments, RunProvenance Provenance, bool SmokeRun = false);

    /// <summary>True when every entry is a verdict on an encoder (a diagnosis), not a claim.</summary>
    public static bool IsDiagnosis(ResultsJson r) => r.Claims.Count > 0 && r.Claims.All(c => c.Verdict is not null);

    /// <summary>The sentence every smoke run's report and console start with.</summary>
    public const string SmokeRunNote = "Smoke run (--quick): smaller sizes, fewer steps and seeds. It checks that the suite runs; its verdicts are not evidence for or against the paper.";

    /// <summary>One experiment's files in results.json.</summary>
    public sealed record ExperimentJson(string Name, IReadOnlyList<string> Tables, IReadOnlyList<string> Plots);

    /// <summary>Writes everything for <paramref name="results"/> into <paramref name="outDir"/> and returns the results.json path.</summary>
    /// <param name="outDir">Run folder (created if missing).</param>
    /// <param name="suite">Suite or experiment name shown in the report.</param>
    /// <param name="results">What the experiments measured.</param>
    /// <param name="config">Everything needed to rerun (serialised to config.json).</param>
    /// <param name="provenance">Machine, versions, command line and wall time; captured now when null.</param>
    /// <param name="smokeRun">A <c>--quick</c> run: said in results.json and at the top of the reports.</param>
    public static string Write(string outDir, string suite, IReadOnlyList<ExperimentResult> results, object config, RunProvenance? provenance = null, bool smokeRun = false)
    {
        Directory.CreateDirectory(outDir);
        provenance ??= RunProvenance.Capture(Environment.CommandLine, DateTime.UtcNow);
        AtomicFile.WriteAllText(Path.Combine(outDir, "config.json"), RunJson.Serialize(config));

        var experiments = new List<ExperimentJson>();
        foreach (var r in results)
        {
            var tables = new List<string>();
            foreach (var t in r.Tables)
            {
                var file = t.Name + ".csv";
                CsvWriter.Write(Path.Combine(outDir, file), t);
                tables.Add(file);
            }
            var plots = new List<string>();
            foreach (var p in r.Plots)
            {
                PlotRenderer.Save(Path.Combine(outDir, p.FileName), p);
                plots.Add(p.FileName);
            }
            experiments.Add(new ExperimentJson(r.Name, tables, plots));
        }

        var claims = results.SelectMany(r => r.Claims.Select(c => new ClaimJson(
            c.Id, c.Holds, c.Criterion, c.Statement, c.Method,
            c.Values.ToDictionary(kv => kv.Key, kv => kv.Value), c.Notes, c.Plots, r.Name, c.Verdict, c.Evidence, c.ValuesOver,
            c.Tables.Count > 0 ? c.Tables : null))).ToList();
        var json = new ResultsJson(suite, claims, experiments, provenance, smokeRun);

        AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownReport.Render(json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "report.html"), HtmlReport.Render(json, outDir));
        var resultsPath = Path.Combine(outDir, "results.json");
        AtomicFile.WriteAllText(resultsPath, RunJson.Serialize(json));
        return resultsPath;
    }
}
