using System.Net;
using System.Text;

namespace WhichFeatures.Reporting;

/// <summary>A self-contained HTML report: a verdict table first, then one card per claim with its plot embedded.</summary>
public static class HtmlReport
{
    /// <summary>Renders the report; plots are read from <paramref name="runDir"/> and embedded as base64 PNG.</summary>
    public static string Render(RunWriter.ResultsJson r, string runDir)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>WhichFeatures: ")
          .Append(E(r.Suite)).Append("</title><style>")
          .Append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}")
          .Append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}")
          .Append(".yes{color:#fff;background:#2e7d32;padding:.1em .5em;border-radius:4px}.no{color:#fff;background:#c62828;padding:.1em .5em;border-radius:4px}")
          .Append(".verdict{color:#fff;background:#455a64;padding:.1em .5em;border-radius:4px}")
          .Append(".card{border:1px solid #ddd;border-radius:8px;padding:1em;margin:1.5em 0}.muted{color:#666;font-size:.9em}img{max-width:100%}")
          .Append("</style></head><body>");
        sb.Append("<h1>Which features were learnt? &mdash; ").Append(RunWriter.IsDiagnosis(r) ? "diagnosis" : E(r.Suite) + " suite").Append(r.SmokeRun ? " (smoke run)</h1>" : "</h1>");
        if (r.SmokeRun) sb.Append("<p class=\"card\"><b>").Append(E(RunWriter.SmokeRunNote)).Append("</b></p>");
        bool diagnosis = RunWriter.IsDiagnosis(r);
        if (diagnosis)
            sb.Append("<p>Verdicts on this encoder, each against the reference it names, under thresholds fixed before the run; \"undecided\" means the 95 % interval straddles the threshold.</p>");
        else
            sb.Append($"<p><b>{r.Claims.Count(c => c.Holds)} of {r.Claims.Count}</b> claims hold under the criteria fixed before the run.</p>");
        sb.Append($"<table><tr><th>{(diagnosis ? "question" : "claim")}</th><th>verdict</th><th>method</th><th>key numbers</th></tr>");
        foreach (var c in r.Claims)
        {
            var key = string.Join("; ", c.Values.Take(3).Select(kv => $"{kv.Key} = {ReportFormat.Number(kv.Value.Mean)}"));
            sb.Append($"<tr><td><a href=\"#{E(c.Id)}\">{E(c.Id)}</a></td><td>{Verdict(c)}</td><td>{E(c.Method)}</td><td>{E(key)}</td></tr>");
        }
        sb.Append("</table>");
        foreach (var c in r.Claims)
        {
            sb.Append($"<div class=\"card\" id=\"{E(c.Id)}\"><h2>{E(c.Id)} {Verdict(c)}</h2>");
            sb.Append($"<p><b>{(c.Verdict is null ? "Claim" : "Finding")}.</b> {E(c.Statement)}</p><p><b>{(c.Verdict is null ? "Criterion" : "Rule")}.</b> {E(c.Criterion)}</p>");
            if (c.Method.Length > 0) sb.Append($"<p><b>Method.</b> {E(c.Method)}</p>");
            foreach (var t in c.Tables ?? [])
            {
                sb.Append($"<p><b>{E(t.Title)}</b></p><table><tr>").Append(string.Concat(t.Columns.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>");
                foreach (var row in t.Rows)
                    sb.Append($"<tr><td>{E(row.Label)}</td>").Append(string.Concat(row.Values.Select(v => $"<td>{ReportFormat.Number(v)}</td>"))).Append("</tr>");
                sb.Append("</table>");
            }
            foreach (var p in c.Plots)
            {
                var path = Path.Combine(runDir, p);
                if (File.Exists(path))
                    sb.Append($"<p><img alt=\"{E(p)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\"></p>");
            }
            sb.Append($"<table><tr><th>measure</th><th>mean</th><th>min</th><th>max</th><th>per {E(c.ValuesOver)}</th></tr>");
            foreach (var (k, v) in c.Values)
                sb.Append($"<tr><td>{E(k)}</td><td>{ReportFormat.Number(v.Mean)}</td><td>{ReportFormat.Number(v.Min)}</td><td>{ReportFormat.Number(v.Max)}</td><td class=\"muted\">{E(string.Join(", ", v.PerSeed.Select(ReportFormat.Number)))}</td></tr>");
            sb.Append("</table>");
            if (c.Notes.Length > 0) sb.Append($"<p>{E(c.Notes)}</p>");
            sb.Append($"<p class=\"muted\">Experiment: {E(c.Experiment)}</p></div>");
        }
        var pv = r.Provenance;
        sb.Append($"<h2>Run</h2><p class=\"muted\">{E(pv.Tool)} {E(pv.ToolVersion)}; {E(pv.Command)}<br>started {pv.StartedUtc:u}, {pv.WallSeconds:0} s wall; ")
          .Append($"{pv.Cores} cores, {E(pv.Os)}, {E(pv.Runtime)}, {E(pv.Libtorch)}, device {E(pv.TorchDevice)}.<br>")
          .Append("Files: results.json, config.json, one CSV per curve, the PNG plots.</p>");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string Verdict(RunWriter.ClaimJson c) => c.Verdict is { } v
        ? $"<span class=\"verdict\">{WebUtility.HtmlEncode(v)}</span>"
        : c.Holds ? "<span class=\"yes\">holds</span>" : "<span class=\"no\">does not hold</span>";
}
