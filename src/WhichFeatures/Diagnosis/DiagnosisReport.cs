using WhichFeatures.Maps;
using WhichFeatures.Reporting;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Turns a <see cref="DiagnosisResult"/> into the report layout every verb shares (Reporting/RunWriter): one finding
/// per attribute, one for class collapse, one for feature suppression, CSV tables and PNG plots.
/// </summary>
public static class DiagnosisReport
{
    /// <summary>Builds the report content; <paramref name="attributes"/> are the (training) attributes, for colouring the PCA plots.</summary>
    public static ExperimentResult Build(DiagnosisResult r, IReadOnlyList<AttributeColumn> attributes, DiagnosisSettings settings, object? parameters = null)
    {
        var result = new ExperimentResult { Name = "diagnose", Parameters = parameters };
        string method = $"{settings.Probe.Protocol}; {settings.Knn.Protocol}; evaluation: {r.Evaluation}; reference: {r.Reference.Describe()} ({r.ReferenceSource})";
        result.Claims.AddRange(r.Attributes.Select(a => AttributeClaim(a, method, r.Splits.Unit)));
        if (r.Collapse is { } c) result.Claims.Add(CollapseClaim(r, c, attributes));
        result.Claims.Add(SuppressionClaim(r, attributes, method));
        result.Tables.AddRange(Tables(r, attributes));
        if (r.Map is { } map) result.Plots.AddRange(MapFigures.Plots(map.Map, map.Labels, r.Collapse?.ClassColumn, r.Collapse?.SubclassColumn, "the embeddings"));
        result.Plots.AddRange(Plots(r, attributes));
        return result;
    }

    private const string Intervals = "Accuracies are over all scored rows with 95 % intervals (Wilson, widened by the spread over folds); gaps by Newcombe's method (docs/diagnose.md).";

    /// <summary>One attribute: readable, and suppressed relative to the reference.</summary>
    private static ClaimResult AttributeClaim(AttributeScore a, string method, string over)
    {
        var values = new List<KeyValuePair<string, Stat>>
        {
            new("probe_accuracy", a.Measured.ProbeTest), new("probe_accuracy_lower", One(a.Probe.Lower)), new("probe_accuracy_upper", One(a.Probe.Upper)),
            new("knn_accuracy", a.Measured.Knn), new("knn_accuracy_lower", One(a.Knn.Lower)), new("knn_accuracy_upper", One(a.Knn.Upper)),
            new("chance", One(a.Measured.Chance)), new("majority", One(a.Measured.Majority)), new("lift", One(a.Readability.Lift)),
            new("probe_train_accuracy", a.Measured.ProbeTrain),
        };
        if (a.Reference is { } refA)
        {
            values.Add(new("reference_probe_accuracy", refA.ProbeTest));
            values.Add(new("reference_knn_accuracy", refA.Knn));
        }
        return new ClaimResult
        {
            Id = $"attribute:{a.Name}",
            Verdict = a.Suppression.Outcome switch
            {
                SuppressionOutcome.NotJudged => a.Readability.Text,
                SuppressionOutcome.Undecided => $"{a.Readability.Text}; suppression undecided",
                _ => $"{a.Readability.Text}; {a.Suppression.Text}",
            },
            Evidence = new { a.Readability, a.Suppression },
            Statement = $"'{a.Name}' ({a.Categories} categories) is {a.Readability.Sentence} Suppression: {a.Suppression.Sentence}",
            Criterion = $"Readability against b = max(chance, majority), lift = (accuracy − b) / (1 − b) of each reader: well above chance when the best reader's lift interval lies at or above {VerdictThresholds.WellAboveChanceLift}; near chance when every reader's lies below {VerdictThresholds.NearChanceLift}; undecided when an interval straddles a threshold. Suppression needs a reference that reads the attribute: suppressed when the gap (best reader − the reference's best reader) lies below −{VerdictThresholds.Margin}.",
            Holds = a.Readability.Outcome == Readability.WellAboveChance,
            Method = method,
            Values = values,
            ValuesOver = over,
            Notes = $"{Intervals} Values per {over}: splits.csv.",
            Plots = ["probe_accuracy.png"],
        };
    }

    /// <summary>Class collapse: the subclass read within each class, with NC1 beside it.</summary>
    private static ClaimResult CollapseClaim(DiagnosisResult r, CollapseDiagnosis c, IReadOnlyList<AttributeColumn> attributes)
    {
        string over = r.Splits.Unit;
        var values = new List<KeyValuePair<string, Stat>>();
        if (c.Measured is { } m)
        {
            values.Add(new("within_class_subclass_probe", m.ProbePerSplit));
            values.Add(new("within_class_subclass_knn", m.KnnPerSplit));
            values.Add(new("within_class_subclass_chance", One(m.Chance)));
        }
        if (c.Reference is { } rf)
        {
            values.Add(new("reference_within_class_subclass_probe", rf.ProbePerSplit));
            values.Add(new("reference_within_class_subclass_knn", rf.KnnPerSplit));
        }
        values.Add(new("nc1", One(c.Nc1)));
        foreach (var k in c.Classes) values.Add(new($"nc1[{k.Class}]", One(k.Nc1)));
        return new ClaimResult
        {
            Id = "class-collapse",
            Verdict = c.Verdict?.Text ?? "not judged",
            Evidence = c.Verdict,
            Statement = c.Verdict?.Sentence ?? $"No subclass column: collapse is not judged; NC1 of '{c.ClassColumn}' is {c.Nc1:0.000}.",
            Criterion = $"The subclass is read within each class by a linear probe and by kNN (each fitted on that class's training rows); the best reader counts. Against a measured reference: collapsed when the gap to the reference's best reader lies below −{VerdictThresholds.Margin}, not collapsed when above, not judged when the reference itself is near chance. Against chance alone: collapsed when the subclass is near chance within its class. NC1 = tr(Σ_W Σ_B⁺) / C is reported beside it, not used.",
            Holds = c.Verdict?.Outcome == CollapseOutcome.Collapsed,
            Method = $"a fresh linear probe and kNN per class predict '{c.SubclassColumn ?? "-"}' from that class's training rows; NC1 on all embeddings with a known '{c.ClassColumn}'",
            Values = values,
            ValuesOver = over,
            Notes = $"{Intervals} Per-class numbers: classes.csv.{MapSentence(r)}",
            Plots = [.. MapFiles(r), .. PcaPlotNames(attributes, c.ClassColumn, c.SubclassColumn)],
        };
    }

    /// <summary>Feature suppression over all attributes, with RankMe beside it.</summary>
    private static ClaimResult SuppressionClaim(DiagnosisResult r, IReadOnlyList<AttributeColumn> attributes, string method)
    {
        var sup = new List<KeyValuePair<string, Stat>> { new("rankme", One(r.RankMe)), new("rankme_over_max", One(r.RankMe / Math.Min(r.Rows, r.Dimensions))), new("dimensions", One(r.Dimensions)) };
        foreach (var k in r.Collapse?.Classes ?? []) sup.Add(new($"rankme[{k.Class}]", One(k.RankMe)));
        string Names(IEnumerable<AttributeScore> xs) => xs.Any() ? string.Join(", ", xs.Select(x => x.Name)) : "none";
        return new ClaimResult
        {
            Id = "feature-suppression",
            Verdict = r.SuppressionVerdict,
            Evidence = r.Attributes.Select(a => a.Suppression).ToList(),
            Statement = $"Suppressed relative to {r.Reference.Describe()}: {Names(r.Suppressed)}. Near chance: {Names(r.NearChance)}. Well above chance: {Names(r.Kept)}. Effective rank {r.RankMe:0.0} of at most {Math.Min(r.Rows, r.Dimensions)}.",
            Criterion = $"Suppression found when some attribute (not a control) is suppressed; undecided when none is but some is undecided; not judged when no attribute had a reference that reads it (against chance alone nothing is judged: an attribute near chance may never have been in the input). {EffectiveRank.Definition}.",
            Holds = r.SuppressionVerdict == "suppression found",
            Method = method,
            Values = sup,
            Notes = string.Join(" ", r.Attributes.Select(a => a.Suppression.Sentence)) + (r.Collapse is null ? MapSentence(r) : ""),
            Plots = r.Collapse is null ? ["probe_accuracy.png", .. MapFiles(r), .. PcaPlotNames(attributes, null, null)] : ["probe_accuracy.png"],
        };

    }

    /// <summary>attributes.csv, splits.csv, classes.csv, pca.csv and tsne.csv.</summary>
    private static List<DataTable> Tables(DiagnosisResult r, IReadOnlyList<AttributeColumn> attributes)
    {
        var tables = new List<DataTable>();
        string over = r.Splits.Unit;
        var attrTable = new DataTable("attributes", "attribute", "categories", "probe", "probe_lower", "probe_upper", "knn", "knn_lower", "knn_upper",
            "chance", "majority", "lift", "readability", "reference_probe", "reference_knn", "gap", "gap_lower", "gap_upper", "suppression");
        var splitTable = new DataTable("splits", "attribute", over, "probe_test", "probe_train", "knn");
        foreach (var a in r.Attributes)
        {
            var g = a.Suppression.Gap;
            attrTable.Add(a.Name, a.Categories, a.Probe.Value, a.Probe.Lower, a.Probe.Upper, a.Knn.Value, a.Knn.Lower, a.Knn.Upper,
                a.Measured.Chance, a.Measured.Majority, a.Readability.Lift, a.Readability.Text,
                a.Reference?.Readout.Probe.Value ?? double.NaN, a.Reference?.Readout.Knn?.Value ?? double.NaN,
                g?.Value ?? double.NaN, g?.Lower ?? double.NaN, g?.Upper ?? double.NaN, a.Suppression.Text);
            for (int s = 0; s < a.Measured.ProbeTest.PerSeed.Count; s++)
                splitTable.Add(a.Name, s + 1, a.Measured.ProbeTest.PerSeed[s], a.Measured.ProbeTrain.PerSeed[s], a.Measured.Knn.PerSeed[s]);
        }
        tables.Add(attrTable);
        tables.Add(splitTable);
        if (r.Collapse is { } cc)
        {
            var t = new DataTable("classes", "class", "count", "subclass_probe", "subclass_knn", "subclass_chance", "nc1", "rankme");
            foreach (var k in cc.Classes) t.Add(k.Class, k.Count, k.SubclassAccuracy, k.SubclassKnn, k.SubclassChance, k.Nc1, k.RankMe);
            tables.Add(t);
        }
        var pca = new DataTable("pca", ["row", "pc1", "pc2", .. attributes.Select(a => a.Name)]);
        foreach (var (x, y, row) in r.PcaPoints)
            pca.Add([row, x, y, .. attributes.Select(a => (object)(a.Codes[row] >= 0 ? a.Categories[(int)a.Codes[row]] : ""))]);
        tables.Add(pca);
        if (r.Map is { } map) tables.Add(MapFigures.Table(map.Map, map.Rows, map.Labels));

        return tables;
    }

    /// <summary>probe_accuracy.png and the PCA scatter plots.</summary>
    private static List<PlotSpec> Plots(DiagnosisResult r, IReadOnlyList<AttributeColumn> attributes)
    {
        var plots = new List<PlotSpec>();
        double[] pos = Enumerable.Range(0, r.Attributes.Count).Select(i => (double)i).ToArray();
        var bars = new List<PlotSeries>
        {
            new("linear probe", pos, r.Attributes.Select(a => a.Probe.Value).ToArray(), r.Attributes.Select(a => (a.Probe.Upper - a.Probe.Lower) / 2).ToArray()),
            new("kNN", pos, r.Attributes.Select(a => a.Knn.Value).ToArray(), r.Attributes.Select(a => (a.Knn.Upper - a.Knn.Lower) / 2).ToArray()),
        };
        if (r.Attributes.All(a => a.Reference is not null))
            bars.Add(new($"{r.Reference.Describe()}: best reader", pos, r.Attributes.Select(a => a.Reference!.Readout.Best.Value).ToArray()));
        bars.Add(new("baseline max(chance, majority)", pos, r.Attributes.Select(a => a.Readability.Baseline).ToArray()));
        plots.Add(new PlotSpec("probe_accuracy.png", "Which attributes can be read from the embedding? (bars: 95 % intervals)", "attribute", "held-out accuracy",
            bars, YMin: 0, YMax: 1.05, Kind: PlotKind.Bar, XTickLabels: r.Attributes.Select(a => a.Name).ToArray()));
        foreach (var name in PcaAttributes(attributes, r.Collapse?.ClassColumn, r.Collapse?.SubclassColumn))
        {
            var a = attributes.First(x => x.Name == name);
            var series = new List<PlotSeries>();
            for (int k = 0; k < a.Categories.Count; k++)
            {
                var pts = r.PcaPoints.Where(p => a.Codes[p.Row] == k).ToList();
                if (pts.Count == 0) continue;
                series.Add(new(k < MapFigures.MaxLegendEntries ? a.Categories[k] : "", pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray()));
            }
            plots.Add(new PlotSpec(PcaFile(name), $"PCA of the embeddings, coloured by {name}", $"PC1 ({r.PcaVariance.First:P0} of variance)", $"PC2 ({r.PcaVariance.Second:P0})", series, Kind: PlotKind.Scatter));
        }
        return plots;
    }

    private static string MapSentence(DiagnosisResult r) => r.Map is { } m
        ? " " + m.Summary(r.Rows, r.TestRows > 0 ? "training embeddings" : "embeddings", MapFiles(r)).Describe() + " Coordinates: tsne.csv." : "";

    private static IEnumerable<string> MapFiles(DiagnosisResult r) => r.Map is { } m
        ? MapFigures.Plots(m.Map, m.Labels, r.Collapse?.ClassColumn, r.Collapse?.SubclassColumn, "").Select(p => p.FileName) : [];

    private static IEnumerable<string> PcaAttributes(IReadOnlyList<AttributeColumn> attributes, string? cls, string? sub)
    {
        var names = new[] { cls, sub }.Where(n => n is not null).Select(n => n!).ToList();
        return names.Count > 0 ? names : attributes.Take(1).Select(a => a.Name);
    }

    private static List<string> PcaPlotNames(IReadOnlyList<AttributeColumn> attributes, string? cls, string? sub) =>
        PcaAttributes(attributes, cls, sub).Select(PcaFile).ToList();

    private static string PcaFile(string attribute) => MapFigures.PlotFile("pca", attribute);

    private static Stat One(double v) => new(v, v, v, 0, [v]);

}
