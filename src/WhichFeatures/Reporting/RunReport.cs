using System.Globalization;
using System.Net;
using System.Text;
using WhichFeatures.Training;

using WhichFeatures.Verdicts;

namespace WhichFeatures.Reporting;

/// <summary>
/// report.md and report.html of a train run: the final probes with their baselines (chance, majority, random
/// initialisation), training health, every later <c>probe</c> (user attributes included), and the verdict lines,
/// ending with whether the encoder learnt. Both files come from one list of blocks, so they always agree.
/// </summary>
public static class RunReport
{
    private abstract record Block;
    private sealed record Heading(string Text) : Block;
    private sealed record Paragraph(string Text, bool Strong = false) : Block;
    private sealed record Table(string[] Header, List<string[]> Rows) : Block;
    private sealed record Image(string Alt, string File) : Block;

    /// <summary>The sentence that closes the report of an encoder that did not learn.</summary>
    public const string DidNotLearn = "This encoder did not learn";

    /// <summary>Writes the run's probe-curve and loss plots (probe_curves.png, loss.png) for <paramref name="r"/>.</summary>
    public static void WritePlots(string runDir, TrainResults r)
    {
        var epochs = r.History.Select(h => (double)h.Epoch).ToArray();
        var labels = r.History.SelectMany(h => h.OnlineTestAccuracy.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var curves = labels.Select(l => new PlotSeries($"online probe: {l}", epochs,
            r.History.Select(h => h.OnlineTestAccuracy.TryGetValue(l, out var a) ? a : double.NaN).ToArray())).ToList();
        curves.Add(new PlotSeries("kNN: class", epochs, r.History.Select(h => h.KnnClassAccuracy).ToArray()));
        string lossName = r.Config.Loss.ToString().ToUpperInvariant();
        PlotRenderer.Save(Path.Combine(runDir, "probe_curves.png"), new PlotSpec("probe_curves.png",
            $"Test accuracy per label over training ({lossName}, {r.Config.Model})", "epoch", "test accuracy", curves, YMin: 0, YMax: 1, IntegerX: true));
        var uniform = r.History.Select(h => h.UniformLoss).FirstOrDefault(double.IsFinite, double.NaN);
        PlotRenderer.Save(Path.Combine(runDir, "loss.png"), new PlotSpec("loss.png", $"{lossName} loss (mean over each epoch's steps)", "epoch", "mean training loss",
            [new PlotSeries("loss", epochs, r.History.Select(h => h.Loss).ToArray())],
            ReferenceLines: [new ReferenceLine("all similarities equal: ln(2B - 1)", uniform)], IntegerX: true));
    }

    /// <summary>Writes report.md, report.html and results.json for <paramref name="r"/>.</summary>
    public static void Write(string runDir, TrainResults r)
    {
        var blocks = Blocks(r);
        AtomicFile.WriteAllText(Path.Combine(runDir, "report.md"), Markdown(blocks));
        AtomicFile.WriteAllText(Path.Combine(runDir, "report.html"), Html(blocks, Title(r)));
        AtomicFile.WriteAllText(Path.Combine(runDir, "results.json"), RunJson.Serialize(r));
    }

    /// <summary>The closing line: why the encoder did not learn, or that it did.</summary>
    public static string FinalLine(TrainResults r)
    {
        string why = r.Learnt?.Detail ?? "No class label to compare with random initialisation.";
        return r.FinalHealth != TrainingHealth.Ok ? $"{DidNotLearn}: the last epoch's health check found {r.FinalHealth} (see docs/robustness.md). {why}"
            : r.Learnt?.Outcome == LearntOutcome.NotLearnt ? $"{DidNotLearn}. {why}"
            : r.Learnt?.Outcome == LearntOutcome.Undecided ? $"{Undecided} {why}"
            : $"The encoder learnt. {why}";
    }

    /// <summary>The start of the closing line when the class gap over random init lies inside the noise.</summary>
    public const string Undecided = "Whether this encoder learnt is undecided: the class probe's gap over random initialisation lies inside the noise.";

    private static string Title(TrainResults r) =>
        $"Training run: {r.Config.Loss.ToString().ToUpperInvariant()} on {r.Config.Dataset} ({r.Config.Model}, {r.Epochs} epochs)";

    private static string F(double? v) => v is double d && double.IsFinite(d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static List<Block> Blocks(TrainResults r)
    {
        var b = new List<Block>
        {
            new Heading(Title(r)),
            new Paragraph($"Probed layer: {r.Layer}. {r.ProbeProtocol}; scored on the test split at the last epoch. " +
                          "Random init: the same architecture at its seeded initialisation, probed the same way."),
        };
        var rows = r.Probes.Select(p => new[]
        {
            p.Label, p.Classes.ToString(CultureInfo.InvariantCulture), F(p.TrainAccuracy), F(p.TestAccuracy), F(p.RandomInit), F(p.Chance), F(p.Majority),
            r.OnlineFinal.TryGetValue(p.Label, out var o) ? F(o) : "-",
        }).ToList();
        b.Add(new Table(["label", "classes", "probe train acc", "probe test acc", "random init", "chance", "majority", "online probe (last epoch)"], rows));
        b.Add(new Paragraph($"kNN class accuracy: {F(r.KnnClassAccuracy)} ({r.KnnProtocol})."));
        b.Add(new Paragraph($"Wall time {r.WallSeconds:0} s, {r.MeanImagesPerSecond:0} training images/s, peak RSS {r.PeakRssMegabytes:0} MB."));

        b.Add(new Heading("Training health"));
        var bad = r.History.Where(h => h.Health != TrainingHealth.Ok).ToList();
        b.Add(new Paragraph(bad.Count == 0
            ? $"Every epoch passed the health check (loss not within {TrainingHealth.LossTolerance} of ln(2B - 1), embeddings not collapsed, all finite)."
            : "Health problems: " + string.Join("; ", bad.Select(h => $"epoch {h.Epoch}: {h.Health} (loss {F(h.Loss)}, ln(2B - 1) = {F(h.UniformLoss)})")) + "."));

        foreach (var p in r.LaterProbes ?? [])
        {
            b.Add(new Heading($"probe {(p.LabelsFile is null ? "" : Path.GetFileName(p.LabelsFile) + " ")}({(p.Epoch == 0 ? "random initialisation" : $"epoch {p.Epoch}")})"));
            b.Add(new Table(["label", "classes", "probe train acc", "probe test acc", "random init", "chance", "majority"],
                p.Probes.Select(s => new[] { s.Label, s.Classes.ToString(CultureInfo.InvariantCulture), F(s.TrainAccuracy), F(s.TestAccuracy), F(s.RandomInit), F(s.Chance), F(s.Majority) }).ToList()));
        }

        b.Add(new Image("probe curves", "probe_curves.png"));
        b.Add(new Image("loss", "loss.png"));
        b.Add(new Heading("Verdict"));
        if (r.SubclassCollapse is { } c) b.Add(new Paragraph(c.Sentence));
        foreach (var v in r.Suppression ?? []) b.Add(new Paragraph("Suppression: " + v.Sentence));
        b.Add(new Paragraph(FinalLine(r), Strong: true));
        return b;
    }

    private static string Markdown(List<Block> blocks)
    {
        var md = new StringBuilder();
        bool first = true;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: md.AppendLine((first ? "# " : "## ") + h.Text); break;
                case Paragraph p: md.AppendLine(p.Strong ? $"**{p.Text}**" : p.Text); break;
                case Table t:
                    md.AppendLine("| " + string.Join(" | ", t.Header) + " |");
                    md.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
                    foreach (var row in t.Rows) md.AppendLine("| " + string.Join(" | ", row) + " |");
                    break;
                case Image i: md.AppendLine($"![{i.Alt}]({i.File})"); break;
            }
            md.AppendLine();
            first = false;
        }
        return md.ToString();
    }

    private static string Html(List<Block> blocks, string title)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{E(title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}</style></head><body>");
        bool first = true;
        foreach (var block in blocks)
        {
            html.AppendLine(block switch
            {
                Heading h => first ? $"<h1>{E(h.Text)}</h1>" : $"<h2>{E(h.Text)}</h2>",
                Paragraph p => p.Strong ? $"<p><strong>{E(p.Text)}</strong></p>" : $"<p>{E(p.Text)}</p>",
                Table t => "<table><tr>" + string.Concat(t.Header.Select(c => $"<th>{E(c)}</th>")) + "</tr>" +
                           string.Concat(t.Rows.Select(row => "<tr>" + string.Concat(row.Select(c => $"<td>{E(c)}</td>")) + "</tr>")) + "</table>",
                Image i => $"<p><img src=\"{E(i.File)}\" alt=\"{E(i.Alt)}\"></p>",
                _ => "",
            });
            first = false;
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }
}
