using WhichFeatures.Reporting;

namespace WhichFeatures.Diagnostics;

/// <summary>
/// Turns a <see cref="DiagnosisResult"/> into the report layout every verb shares (Reporting/RunWriter): one finding
/// per attribute, one for class collapse, one for feature suppression, CSV tables and PNG plots.
/// </summary>
public static class DiagnosisReport
{
    /// <summary>Most categories that get a legend entry in a scatter plot.</summary>
    public const int MaxLegendEntries = 20;

    /// <summary>Builds the report content; <paramref name="attributes"/> are the (training) attributes, for colouring the PCA plots.</summary>
    public static ExperimentResult Build(DiagnosisResult r, IReadOnlyList<AttributeColumn> attributes, DiagnosisSettings settings, object? parameters = null)
    {
        var result = new ExperimentResult { Name = "diagnose", Parameters = parameters };
        string method = $"{settings.Probe.Protocol}; {settings.Knn.Protocol}; evaluation: {r.Evaluation}";
        string liftDef = "lift = (accuracy − b) / (1 − b), b = max(chance, majority)";

        foreach (var a in r.Attributes)
            result.Claims.Add(new ClaimResult
            {
                Id = $"attribute:{a.Name}",
                Statement = $"'{a.Name}' ({a.Categories} categories) is {a.Verdict}: linear probe {F(a.ProbeTest)}, kNN {F(a.Knn)}, chance {a.Chance:0.000}, majority {a.Majority:0.000}.",
                Criterion = $"Holds when the attribute is decodable well above chance: {liftDef} ≥ {DiagnosisSettings.DecodableLift} (near chance: lift < {DiagnosisSettings.NearChanceLift}).",
                Holds = a.Verdict == EmbeddingDiagnosis.WellAboveChance,
                Method = method,
                Values =
                [
                    new("probe_test_accuracy", a.ProbeTest), new("knn_accuracy", a.Knn), new("chance", One(a.Chance)),
                    new("majority", One(a.Majority)), new("lift", One(a.Lift)), new("probe_train_accuracy", a.ProbeTrain),
                ],
                Notes = a.ProbeTest.PerSeed.Count > 1 ? $"Values per fold in the last column (mean ± std {a.ProbeTest.Mean:0.000} ± {a.ProbeTest.Std:0.000})." : "",
                Plots = ["probe_accuracy.png"],
            });

        if (r.Collapse is { } c)
        {
            var values = new List<KeyValuePair<string, Stat>>();
            if (c.SubclassAccuracy is { } sa) values.Add(new("within_class_subclass_accuracy", sa));
            values.Add(new("within_class_subclass_chance", One(c.SubclassChance)));
            values.Add(new("within_class_subclass_lift", One(c.SubclassLift)));
            values.Add(new("nc1", One(c.Nc1)));
            foreach (var k in c.Classes)
            {
                values.Add(new($"nc1[{k.Class}]", One(k.Nc1)));
                if (double.IsFinite(k.SubclassAccuracy)) values.Add(new($"subclass_accuracy[{k.Class}]", One(k.SubclassAccuracy)));
            }
            string verdict = c.Collapsed switch
            {
                true => $"Subclasses of '{c.ClassColumn}' are collapsed: within a class, '{c.SubclassColumn}' is decoded at {c.SubclassAccuracy!.Mean:0.000} against chance {c.SubclassChance:0.000} (lift {c.SubclassLift:0.00}).",
                false => $"Subclasses of '{c.ClassColumn}' are not collapsed: within a class, '{c.SubclassColumn}' is decoded at {c.SubclassAccuracy!.Mean:0.000} against chance {c.SubclassChance:0.000} (lift {c.SubclassLift:0.00}).",
                null => $"No subclass column: collapse is not judged; NC1 of '{c.ClassColumn}' is {c.Nc1:0.000}.",
            };
            result.Claims.Add(new ClaimResult
            {
                Id = "class-collapse",
                Statement = verdict,
                Criterion = $"Holds (collapse found) when the within-class subclass probe lift (accuracy − chance) / (1 − chance) < {DiagnosisSettings.CollapseLift}; the accuracy is weighted by each class's held-out points, chance = 1 / (subclasses of the class). NC1 = tr(Σ_W Σ_B⁺) / C is reported beside it (0 = every class shrunk to its mean), not used by the verdict.",
                Holds = c.Collapsed == true,
                Method = $"a fresh linear probe per class predicts '{c.SubclassColumn ?? "-"}' from that class's training points; NC1 on all embeddings with a known '{c.ClassColumn}'",
                Values = values,
                Notes = "Per-class numbers: classes.csv.",
                Plots = PcaPlotNames(attributes, c.ClassColumn, c.SubclassColumn),
            });
        }

        var near = r.NearChance.Select(a => a.Name).ToList();
        var kept = r.Kept.Select(a => a.Name).ToList();
        var sup = new List<KeyValuePair<string, Stat>> { new("rankme", One(r.RankMe)), new("rankme_over_max", One(r.RankMe / Math.Min(r.Rows, r.Dimensions))), new("dimensions", One(r.Dimensions)) };
        foreach (var k in r.Collapse?.Classes ?? []) sup.Add(new($"rankme[{k.Class}]", One(k.RankMe)));
        result.Claims.Add(new ClaimResult
        {
            Id = "feature-suppression",
            Statement = $"Near chance: {(near.Count > 0 ? string.Join(", ", near) : "none")}. Well above chance: {(kept.Count > 0 ? string.Join(", ", kept) : "none")}. Effective rank {r.RankMe:0.0} of at most {Math.Min(r.Rows, r.Dimensions)}.",
            Criterion = $"Holds (suppression found) when at least one attribute is near chance ({liftDef} < {DiagnosisSettings.NearChanceLift}). {EffectiveRank.Definition}.",
            Holds = near.Count > 0,
            Method = method,
            Values = sup,
            Notes = "An attribute near chance is absent from the embedding as far as a linear probe and kNN can tell: suppressed by training, or never in the input.",
            Plots = r.Collapse is null ? ["probe_accuracy.png", .. PcaPlotNames(attributes, null, null)] : ["probe_accuracy.png"],
        });

        var attrTable = new DataTable("attributes", "attribute", "categories", "probe_test_mean", "probe_test_std", "probe_train_mean", "knn_mean", "knn_std", "chance", "majority", "lift", "verdict");
        var splitTable = new DataTable("splits", "attribute", "split", "probe_test", "probe_train", "knn");
        foreach (var a in r.Attributes)
        {
            attrTable.Add(a.Name, a.Categories, a.ProbeTest.Mean, a.ProbeTest.Std, a.ProbeTrain.Mean, a.Knn.Mean, a.Knn.Std, a.Chance, a.Majority, a.Lift, a.Verdict);
            for (int s = 0; s < a.ProbeTest.PerSeed.Count; s++) splitTable.Add(a.Name, s, a.ProbeTest.PerSeed[s], a.ProbeTrain.PerSeed[s], a.Knn.PerSeed[s]);
        }
        result.Tables.Add(attrTable);
        result.Tables.Add(splitTable);
        if (r.Collapse is { } cc)
        {
            var t = new DataTable("classes", "class", "count", "subclass_accuracy", "subclass_chance", "nc1", "rankme");
            foreach (var k in cc.Classes) t.Add(k.Class, k.Count, k.SubclassAccuracy, k.SubclassChance, k.Nc1, k.RankMe);
            result.Tables.Add(t);
        }
        var pca = new DataTable("pca", ["row", "pc1", "pc2", .. attributes.Select(a => a.Name)]);
        foreach (var (x, y, row) in r.PcaPoints)
            pca.Add([row, x, y, .. attributes.Select(a => (object)(a.Codes[row] >= 0 ? a.Categories[(int)a.Codes[row]] : ""))]);
        result.Tables.Add(pca);

        double[] pos = Enumerable.Range(0, r.Attributes.Count).Select(i => (double)i).ToArray();
        result.Plots.Add(new PlotSpec("probe_accuracy.png", "Which attributes can be read from the embedding?", "attribute", "held-out accuracy",
        [
            new("linear probe", pos, r.Attributes.Select(a => a.ProbeTest.Mean).ToArray(), r.Attributes.Select(a => a.ProbeTest.Std).ToArray()),
            new("kNN", pos, r.Attributes.Select(a => a.Knn.Mean).ToArray(), r.Attributes.Select(a => a.Knn.Std).ToArray()),
            new("baseline max(chance, majority)", pos, r.Attributes.Select(a => Math.Max(a.Chance, a.Majority)).ToArray()),
        ], YMin: 0, YMax: 1.05, Kind: PlotKind.Bar, XTickLabels: r.Attributes.Select(a => a.Name).ToArray()));
        foreach (var name in PcaAttributes(attributes, r.Collapse?.ClassColumn, r.Collapse?.SubclassColumn))
        {
            var a = attributes.First(x => x.Name == name);
            var series = new List<PlotSeries>();
            for (int k = 0; k < a.Categories.Count; k++)
            {
                var pts = r.PcaPoints.Where(p => a.Codes[p.Row] == k).ToList();
                if (pts.Count == 0) continue;
                series.Add(new(k < MaxLegendEntries ? a.Categories[k] : "", pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray()));
            }
            result.Plots.Add(new PlotSpec(PcaFile(name), $"PCA of the embeddings, coloured by {name}", $"PC1 ({r.PcaVariance.First:P0} of variance)", $"PC2 ({r.PcaVariance.Second:P0})", series, Kind: PlotKind.Scatter));
        }
        return result;
    }

    private static IEnumerable<string> PcaAttributes(IReadOnlyList<AttributeColumn> attributes, string? cls, string? sub)
    {
        var names = new[] { cls, sub }.Where(n => n is not null).Select(n => n!).ToList();
        return names.Count > 0 ? names : attributes.Take(1).Select(a => a.Name);
    }

    private static List<string> PcaPlotNames(IReadOnlyList<AttributeColumn> attributes, string? cls, string? sub) =>
        PcaAttributes(attributes, cls, sub).Select(PcaFile).ToList();

    private static string PcaFile(string attribute) =>
        "pca_" + string.Concat(attribute.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')) + ".png";

    private static Stat One(double v) => new(v, v, v, 0, [v]);

    private static string F(Stat s) => s.PerSeed.Count > 1 ? $"{s.Mean:0.000} ± {s.Std:0.000}" : $"{s.Mean:0.000}";
}
