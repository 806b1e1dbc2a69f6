using System.Globalization;
using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Training;

/// <summary>
/// report.md and report.html of a train run: the final probes with their baselines (chance, majority, random
/// initialisation), training health, every later <c>probe</c> (user attributes included), and the verdict lines,
/// ending with whether the encoder learnt. Both files come from one list of blocks, so they always agree.
/// </summary>
public static class RunReport
{
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
        var report = Report(r);
        AtomicFile.WriteAllText(Path.Combine(runDir, "report.md"), report.Markdown());
        AtomicFile.WriteAllText(Path.Combine(runDir, "report.html"), report.Html(Title(r)));
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

    private static BlockDocument Report(TrainResults r)
    {
        var b = new BlockDocument();
        b.Heading(Title(r));
        b.Paragraph($"Probed layer: {r.Layer}. {r.ProbeProtocol}; scored on the test split at the last epoch. " +
                    "Random init: the same architecture at its seeded initialisation, probed the same way.");
        var rows = r.Probes.Select(p => new[]
        {
            p.Label, p.Classes.ToString(CultureInfo.InvariantCulture), F(p.TrainAccuracy), F(p.TestAccuracy), F(p.RandomInit), F(p.Chance), F(p.Majority),
            r.OnlineFinal.TryGetValue(p.Label, out var o) ? F(o) : "-",
        }).ToList();
        b.Table(["label", "classes", "probe train acc", "probe test acc", "random init", "chance", "majority", "online probe (last epoch)"], rows);
        b.Paragraph($"kNN class accuracy: {F(r.KnnClassAccuracy)} ({r.KnnProtocol}).");
        b.Paragraph($"Wall time {r.WallSeconds:0} s, {r.MeanImagesPerSecond:0} training images/s, peak RSS {r.PeakRssMegabytes:0} MB.");

        b.Heading("Training health");
        var bad = r.History.Where(h => h.Health != TrainingHealth.Ok).ToList();
        b.Paragraph(bad.Count == 0
            ? $"Every epoch passed the health check (loss not within {TrainingHealth.LossTolerance} of ln(2B - 1), embeddings not collapsed, all finite)."
            : "Health problems: " + string.Join("; ", bad.Select(h => $"epoch {h.Epoch}: {h.Health} (loss {F(h.Loss)}, ln(2B - 1) = {F(h.UniformLoss)})")) + ".");

        foreach (var p in r.LaterProbes ?? [])
        {
            b.Heading($"probe {(p.LabelsFile is null ? "" : Path.GetFileName(p.LabelsFile) + " ")}({(p.Epoch == 0 ? "random initialisation" : $"epoch {p.Epoch}")})");
            b.Table(["label", "classes", "probe train acc", "probe test acc", "random init", "chance", "majority"],
                p.Probes.Select(s => new[] { s.Label, s.Classes.ToString(CultureInfo.InvariantCulture), F(s.TrainAccuracy), F(s.TestAccuracy), F(s.RandomInit), F(s.Chance), F(s.Majority) }).ToList());
        }

        b.Image("probe curves", "probe_curves.png");
        b.Image("loss", "loss.png");
        if (r.Map is { } map)
        {
            b.Heading("Map");
            b.Paragraph(map.Describe());
            foreach (var f in map.Files) b.Image(Path.GetFileNameWithoutExtension(f).Replace('_', ' '), f);
        }
        b.Heading("Verdict");
        if (r.SubclassCollapse is { } c) b.Paragraph(c.Sentence);
        foreach (var v in r.Suppression ?? []) b.Paragraph("Suppression: " + v.Sentence);
        b.Paragraph(FinalLine(r), strong: true);
        return b;
    }
}
