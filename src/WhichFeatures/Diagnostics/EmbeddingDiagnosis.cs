using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnostics;

/// <summary>
/// Which attributes did an encoder keep? Given embeddings with attributes (and optionally a test split), fits a
/// linear probe and a kNN per attribute (train/test, or seeded stratified k-fold), measures class collapse (a
/// subclass probe within each class, NC1) and the effective rank (RankMe), and computes a 2-D PCA for plots.
/// Every number is defined in docs/diagnose.md.
/// </summary>
public static class EmbeddingDiagnosis
{
    /// <summary>Verdict text for an attribute whose lift is at least <see cref="DiagnosisSettings.DecodableLift"/>.</summary>
    public const string WellAboveChance = "well above chance";
    /// <summary>Verdict text for a lift below <see cref="DiagnosisSettings.NearChanceLift"/>.</summary>
    public const string NearChanceVerdict = "near chance";
    /// <summary>Verdict text in between.</summary>
    public const string PartlyDecodable = "partly decodable";

    private sealed record Split(Tensor TrainX, Tensor TestX, Func<AttributeColumn, (long[] Train, long[] Test)> Codes);

    /// <summary>Runs every measurement. <paramref name="test"/> null means k-fold on <paramref name="train"/>.</summary>
    public static DiagnosisResult Run(LabelledEmbeddings train, LabelledEmbeddings? test, DiagnosisSettings settings, IRunProgress? progress = null, CancellationToken ct = default)
    {
        settings.Validate();
        progress ??= NullProgress.Instance;
        var classCol = settings.ClassColumn is { } cn ? train.Attribute(cn) ?? throw new ArgumentException($"no attribute '{cn}'") : null;
        var subCol = settings.SubclassColumn is { } sn ? train.Attribute(sn) ?? throw new ArgumentException($"no attribute '{sn}'") : null;
        using var scope = NewDisposeScope();

        var splits = new List<Split>();
        string evaluation;
        if (test is not null)
        {
            splits.Add(new Split(train.Features, test.Features, a => (a.Codes, test.Attribute(a.Name)!.Codes)));
            evaluation = $"train/test ({train.Count} / {test.Count} rows)";
        }
        else
        {
            var strata = (classCol ?? train.Attributes[0]).Codes;
            var folds = StratifiedFolds.Assign(strata, settings.Folds, settings.Seed);
            for (int f = 0; f < settings.Folds; f++)
            {
                int fold = f;
                long[] tr = Enumerable.Range(0, folds.Length).Where(i => folds[i] != fold).Select(i => (long)i).ToArray();
                long[] te = Enumerable.Range(0, folds.Length).Where(i => folds[i] == fold).Select(i => (long)i).ToArray();
                splits.Add(new Split(train.Features.index_select(0, tensor(tr)), train.Features.index_select(0, tensor(te)),
                    a => (tr.Select(i => a.Codes[i]).ToArray(), te.Select(i => a.Codes[i]).ToArray())));
            }
            evaluation = $"stratified {settings.Folds}-fold cross-validation (seed {settings.Seed}, strata: {(classCol ?? train.Attributes[0]).Name})";
        }

        var suite = new ProbeSuite(settings.Probe, withKnn: false);
        int nAttr = train.Attributes.Count;
        bool collapseProbe = classCol is not null && subCol is not null;
        using var task = progress.Start("diagnose", splits.Count * (nAttr + 1 + (collapseProbe ? 1 : 0)) + 3);
        var probeTest = train.Attributes.ToDictionary(a => a.Name, _ => new List<double>());
        var probeTrain = train.Attributes.ToDictionary(a => a.Name, _ => new List<double>());
        var knn = train.Attributes.ToDictionary(a => a.Name, _ => new List<double>());
        var chance = train.Attributes.ToDictionary(a => a.Name, _ => new List<double>());
        var majority = train.Attributes.ToDictionary(a => a.Name, _ => new List<double>());
        var subAcc = new List<double>();
        var subChance = new List<double>();
        var perClassSub = new Dictionary<long, List<double>>();
        var perClassChance = new Dictionary<long, double>();
        for (int s = 0; s < splits.Count; s++)
        {
            ct.ThrowIfCancellationRequested();
            var sp = splits[s];
            string at = splits.Count > 1 ? $"fold {s + 1}/{splits.Count}" : "train/test";
            using var splitScope = NewDisposeScope();
            var (nIdx, nWeight) = settings.Knn.Neighbours(sp.TrainX, sp.TestX);                // [M, k] each
            task.Increment(1, $"{at}: kNN neighbours");
            foreach (var a in train.Attributes)
            {
                ct.ThrowIfCancellationRequested();
                using var attrScope = NewDisposeScope();
                var (trC, teC) = sp.Codes(a);
                var trRows = Rows(trC); var teRows = Rows(teC);
                if (teRows.Length == 0 || trRows.Select(i => trC[i]).Distinct().Count() < 2) { task.Increment(); continue; }
                var ytr = tensor(trRows.Select(i => trC[i]).ToArray());                         // [n]
                var yte = tensor(teRows.Select(i => teC[i]).ToArray());                         // [m]
                var teIdx = tensor(teRows);
                // The probe through the one offline evaluation (ProbeSuite), on the rows where the attribute is known;
                // kNN below, for every attribute, from neighbours shared by all attributes of the split.
                var classes = new Dictionary<string, int> { [a.Name] = a.Categories.Count };
                var score = suite.Run(
                    new FeatureSet(a.Name, sp.TrainX.index_select(0, tensor(trRows)), new Dictionary<string, Tensor> { [a.Name] = ytr }, classes),   // [n, D]
                    new FeatureSet(a.Name, sp.TestX.index_select(0, teIdx), new Dictionary<string, Tensor> { [a.Name] = yte }, classes),          // [m, D]
                    [a.Name]).Probes[0];
                var (trAcc, teAcc) = (score.TrainAccuracy, score.TestAccuracy);
                var pred = KnnClassifier.Vote(nIdx.index_select(0, teIdx), nWeight.index_select(0, teIdx), tensor(trC), a.Categories.Count); // [m]
                probeTest[a.Name].Add(teAcc);
                probeTrain[a.Name].Add(trAcc);
                knn[a.Name].Add(pred.eq(yte).to_type(ScalarType.Float64).mean().ToDouble());
                chance[a.Name].Add(LabelBaselines.Chance(ytr));
                majority[a.Name].Add(LabelBaselines.Majority(ytr, yte));
                task.Increment(1, $"{at}: {a.Name} probe {teAcc:0.000}");
            }
            if (collapseProbe)
            {
                var (trCls, teCls) = sp.Codes(classCol!);
                var (trSub, teSub) = sp.Codes(subCol!);
                var trRows = Enumerable.Range(0, trCls.Length).Where(i => trCls[i] >= 0 && trSub[i] >= 0).Select(i => (long)i).ToArray();
                var teRows = Enumerable.Range(0, teCls.Length).Where(i => teCls[i] >= 0 && teSub[i] >= 0).Select(i => (long)i).ToArray();
                var r = new WithinClassSubclassProbe(settings.Probe).Run(
                    sp.TrainX.index_select(0, tensor(trRows)), tensor(trRows.Select(i => trCls[i]).ToArray()), tensor(trRows.Select(i => trSub[i]).ToArray()),
                    sp.TestX.index_select(0, tensor(teRows)), tensor(teRows.Select(i => teCls[i]).ToArray()), tensor(teRows.Select(i => teSub[i]).ToArray()));
                if (double.IsFinite(r.MeanAccuracy)) { subAcc.Add(r.MeanAccuracy); subChance.Add(r.MeanChance); }
                foreach (var c in r.Classes)
                {
                    if (double.IsFinite(c.Chance)) perClassChance[c.Class] = c.Chance;
                    if (c.Skipped is null) (perClassSub.TryGetValue(c.Class, out var l) ? l : perClassSub[c.Class] = []).Add(c.Accuracy);
                }
                task.Increment(1, $"{at}: within-class subclass probe {r.MeanAccuracy:0.000}");
            }
        }

        var scores = new List<AttributeScore>();
        foreach (var a in train.Attributes)
        {
            if (probeTest[a.Name].Count == 0)
                throw new UserInputException($"attribute '{a.Name}': no split had 2 or more training values and a test row; a probe needs both.");
            double ch = chance[a.Name].Average(), maj = majority[a.Name].Average();
            double b = Math.Max(ch, maj);
            var acc = Stat.Of(probeTest[a.Name]);
            double lift = Lift(acc.Mean, b);
            string verdict = lift >= DiagnosisSettings.DecodableLift ? WellAboveChance : lift < DiagnosisSettings.NearChanceLift ? NearChanceVerdict : PartlyDecodable;
            scores.Add(new AttributeScore(a.Name, a.Categories.Count, acc, Stat.Of(probeTrain[a.Name]), Stat.Of(knn[a.Name]), ch, maj, lift, verdict));
        }

        // Label-free and per-class numbers on all (training) embeddings.
        double rankMe = EffectiveRank.RankMe(train.Features);
        task.Increment(1, $"RankMe {rankMe:0.0}");
        CollapseDiagnosis? collapse = null;
        if (classCol is not null)
        {
            var rows = Rows(classCol.Codes);
            var x = train.Features.index_select(0, tensor(rows));                                 // [n, D]
            var y = tensor(rows.Select(i => classCol.Codes[i]).ToArray());                      // [n]
            WithinClassScatter.Result? nc1 = y.unique().output.numel() >= 2 ? WithinClassScatter.Nc1(x, y) : null;
            var classes = new List<ClassDiagnosis>();
            foreach (var code in rows.Select(i => classCol.Codes[i]).Distinct().Order())
            {
                using var cs = NewDisposeScope();
                var xc = x.index_select(0, y.eq(code).nonzero().squeeze(1));                    // [n_c, D]
                double nc1c = nc1?.PerClass.First(p => p.Class == code).Nc1 ?? double.NaN;
                double acc = perClassSub.TryGetValue(code, out var l) ? l.Average() : double.NaN;
                classes.Add(new ClassDiagnosis(classCol.Categories[(int)code], xc.shape[0], acc, perClassChance.GetValueOrDefault(code, double.NaN), nc1c, EffectiveRank.RankMe(xc)));
            }
            Stat? sub = subAcc.Count > 0 ? Stat.Of(subAcc) : null;
            double subCh = subChance.Count > 0 ? subChance.Average() : double.NaN;
            double subLift = sub is null ? double.NaN : Lift(sub.Mean, subCh);
            bool? collapsed = sub is null ? null : subLift < DiagnosisSettings.CollapseLift;
            collapse = new CollapseDiagnosis(classCol.Name, subCol?.Name, sub, subCh, subLift, nc1?.Overall ?? double.NaN, collapsed, classes);
        }
        task.Increment(1, "NC1 and per-class RankMe");
        var (pts, variance) = Pca2(train.Features, settings.PlotPoints, settings.Seed);
        task.Increment(1, "PCA");
        return new DiagnosisResult(train.Source, train.Count, train.Dimensions, test?.Count ?? 0, evaluation, scores, collapse, rankMe, pts, variance);
    }

    /// <summary>(accuracy − baseline) / (1 − baseline); 0 when the baseline is already 1.</summary>
    public static double Lift(double accuracy, double baseline) => baseline >= 1 ? 0 : (accuracy - baseline) / (1 - baseline);

    private static long[] Rows(long[] codes) => Enumerable.Range(0, codes.Length).Where(i => codes[i] >= 0).Select(i => (long)i).ToArray();

    /// <summary>Projects onto the top-2 principal components (float64 covariance eigendecomposition) a seeded subsample.</summary>
    private static (List<(double, double, long)>, (double, double)) Pca2(Tensor features, int maxPoints, int seed)
    {
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float64);                                          // [N, D]
        var centred = x - x.mean([0], keepdim: true);                                          // [N, D]
        var cov = centred.t().matmul(centred) / Math.Max(1, x.shape[0] - 1);                   // [D, D]
        var (evals, evecs) = linalg.eigh(cov);                                                 // ascending
        long d = evals.shape[0];
        double total = Math.Max(evals.clamp_min(0).sum().ToDouble(), 1e-300);
        var top = evecs[TensorIndex.Colon, TensorIndex.Slice(Math.Max(0, d - 2), d)].flip(1); // [D, 2] largest first
        if (top.shape[1] < 2) top = cat([top, zeros(d, 2 - top.shape[1], dtype: ScalarType.Float64)], 1);
        var rows = Enumerable.Range(0, (int)x.shape[0]).Select(i => (long)i).ToArray();
        if (rows.Length > maxPoints)
        {
            var rng = new Random(seed);
            rows = rows.OrderBy(_ => rng.Next()).Take(maxPoints).Order().ToArray();
        }
        var proj = centred.index_select(0, tensor(rows)).matmul(top).data<double>().ToArray(); // [n, 2]
        var pts = rows.Select((r, i) => (proj[2 * i], proj[2 * i + 1], r)).ToList();
        double v1 = evals[d - 1].ToDouble() / total, v2 = d > 1 ? evals[d - 2].ToDouble() / total : 0;
        return (pts, (v1, v2));
    }
}
