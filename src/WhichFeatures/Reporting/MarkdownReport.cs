using System.Text;

namespace WhichFeatures.Reporting;

/// <summary>A Markdown report beside the plots (for terminals and code review).</summary>
public static class MarkdownReport
{
    /// <summary>Renders the report text.</summary>
    public static string Render(RunWriter.ResultsJson r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# WhichFeatures: {(RunWriter.IsDiagnosis(r) ? "diagnosis" : r.Suite + " suite")}{(r.SmokeRun ? " (smoke run)" : "")}");
        sb.AppendLine();
        if (r.SmokeRun) { sb.AppendLine($"**{RunWriter.SmokeRunNote}**"); sb.AppendLine(); }
        bool diagnosis = RunWriter.IsDiagnosis(r);
        sb.AppendLine($"{(diagnosis ? "Verdicts on this encoder, each against the reference it names; \"undecided\" means the 95 % interval straddles the threshold." : $"{r.Claims.Count(c => c.Holds)} of {r.Claims.Count} claims hold.")} Run on {r.Provenance.Cores} cores ({r.Provenance.Os}), {r.Provenance.WallSeconds:0} s, {r.Provenance.Libtorch}, device {r.Provenance.TorchDevice}.");
        sb.AppendLine();
        sb.AppendLine(diagnosis ? "| question | verdict | method | rule |" : "| claim | holds | method | criterion |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var c in r.Claims)
            sb.AppendLine($"| {c.Id} | {c.Verdict ?? (c.Holds ? "yes" : "**no**")} | {Cell(c.Method)} | {Cell(c.Criterion)} |");
        foreach (var c in r.Claims)
        {
            sb.AppendLine();
            sb.AppendLine($"## {c.Id}: {c.Verdict ?? (c.Holds ? "holds" : "does not hold")}");
            sb.AppendLine();
            sb.AppendLine($"*{(c.Verdict is null ? "Claim" : "Finding")}.* {c.Statement}");
            sb.AppendLine();
            sb.AppendLine($"*{(c.Verdict is null ? "Criterion" : "Rule")}.* {c.Criterion}");
            sb.AppendLine();
            if (c.Method.Length > 0) { sb.AppendLine($"*Method.* {c.Method}"); sb.AppendLine(); }
            foreach (var t in c.Tables ?? [])
            {
                sb.AppendLine($"**{t.Title}**");
                sb.AppendLine();
                sb.AppendLine("| " + string.Join(" | ", t.Columns.Select(Cell)) + " |");
                sb.AppendLine("|" + string.Concat(t.Columns.Select(_ => "---|")));
                foreach (var row in t.Rows)
                    sb.AppendLine($"| {Cell(row.Label)} | " + string.Join(" | ", row.Values.Select(ReportFormat.Number)) + " |");
                sb.AppendLine();
            }
            sb.AppendLine($"| measure | value (mean, min, max over {c.ValuesOver}s) |");
            sb.AppendLine("|---|---|");
            foreach (var (k, v) in c.Values) sb.AppendLine($"| {Cell(k)} | {ReportFormat.Stat(v)} |");
            sb.AppendLine();
            if (c.Notes.Length > 0) { sb.AppendLine(c.Notes); sb.AppendLine(); }
            foreach (var p in c.Plots) sb.AppendLine($"![{c.Id}]({p})");
        }
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
