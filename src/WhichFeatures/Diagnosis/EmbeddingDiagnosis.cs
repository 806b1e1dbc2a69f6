using WhichFeatures.Core;
using WhichFeatures.Maps;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Which attributes did an encoder keep? Reads every attribute from the embeddings, and from the reference encoder's
/// embeddings of the same rows when there is one, with a linear probe and kNN on held-out rows
/// (<see cref="EvaluationSplits"/>); reads the subclass within each class; then judges readability, suppression and
/// collapse (Verdicts/) and adds NC1, RankMe, a 2-D PCA and a t-SNE map. Every number is defined in docs/diagnose.md.
/// </summary>
public static class EmbeddingDiagnosis
{
    /// <summary>Runs every measurement. <paramref name="test"/> null means k-fold on <paramref name="train"/>; <paramref name="reference"/> null means verdicts against chance.</summary>
    public static DiagnosisResult Run(LabelledEmbeddings train, LabelledEmbeddings? test, DiagnosisSettings settings,
        DiagnosisReference? reference = null, IRunProgress? progress = null, CancellationToken ct = default)
    {
        settings = settings.Validate() with { Probe = settings.Probe.WithCancellation(ct) };
        var classCol = Column(train, settings.ClassColumn, "--class-column");
        var subCol = Column(train, settings.SubclassColumn, "--subclass-column");
        foreach (var c in settings.ControlColumns) Column(train, c, "--control");
        reference?.Check(train, test);
        using var scope = NewDisposeScope();
        var splits = EvaluationSplits.Create(train, test, classCol ?? train.Attributes[0], settings);
        var encoders = new List<Embedding> { new("embeddings", train.Features, test?.Features) };
        if (reference is not null) encoders.Add(new(reference.Kind.Describe(), reference.Train, reference.Test));
        bool hierarchy = classCol is not null && subCol is not null;
        using var task = (progress ?? NullProgress.Instance).Start("diagnose", encoders.Count * splits.Splits.Count * (1 + train.Attributes.Count + (hierarchy ? 1 : 0)) + 3);

        var read = encoders.Select(e => AttributeReadout.Measure(e, splits, train.Attributes, test, settings, task, ct)).ToList();
        var within = hierarchy ? encoders.Select(e => SubclassReadout.Measure(e, splits, classCol!, subCol!, test, settings, task, ct)).ToList() : null;
        var kind = reference?.Kind ?? ReferenceKind.Chance;

        var attributes = read[0].Select((m, i) => Judge(m, reference is null ? null : read[1][i], kind, settings.ControlColumns.Contains(m.Name))).ToList();
        double rankMe = EffectiveRank.RankMe(train.Features, ct);
        var collapse = classCol is null ? null : Collapse(train, classCol, subCol, within?[0], within?.ElementAtOrDefault(1), kind, ct);
        task.Increment(1, $"RankMe {rankMe:0.0}, NC1");
        var (pts, variance) = PrincipalComponents.Project2(train.Features, settings.PlotPoints, settings.Seed);
        task.Increment(1, "PCA");
        var map = settings.MapRows == 0 ? null
            : SubsampledMap.Fit(train.Features, train.Attributes.Select(a => new MapLabel(a.Name, a.Codes, a.Categories)).ToList(), settings.MapRows, settings.Tsne, ct);
        task.Increment(1, "t-SNE map");
        return new DiagnosisResult(train.Source, train.Count, train.Dimensions, test?.Count ?? 0, splits, kind, reference?.Source ?? "chance",
            attributes, collapse, rankMe, pts, variance) { Map = map };
    }

    private static AttributeColumn? Column(LabelledEmbeddings train, string? name, string option) =>
        name is null ? null : train.Attribute(name) ?? throw new UserInputException(
            $"{option} {name}: no such attribute; the labels have: {string.Join(", ", train.Attributes.Select(a => a.Name))}.");

    private static AttributeScore Judge(AttributeReadout m, AttributeReadout? reference, ReferenceKind kind, bool control) => new(m, reference,
        ReadabilityVerdict.Judge(m.Readout, m.Chance, m.Majority),
        SuppressionVerdict.Judge(m.Name, m.Readout, reference?.Readout, kind, m.Chance, m.Majority, control));

    // NC1 and RankMe per class on all rows with a known class, beside the within-class subclass readouts and verdict.
    private static CollapseDiagnosis Collapse(LabelledEmbeddings train, AttributeColumn cls, AttributeColumn? sub, SubclassReadout? measured, SubclassReadout? reference, ReferenceKind kind, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        var rows = Enumerable.Range(0, cls.Codes.Length).Where(i => cls.Codes[i] >= 0).Select(i => (long)i).ToArray();
        var x = train.Features.index_select(0, tensor(rows));                                     // [n, D]
        var y = tensor(rows.Select(i => cls.Codes[i]).ToArray());                               // [n]
        WithinClassScatter.Result? nc1 = y.unique().output.numel() >= 2 ? WithinClassScatter.Nc1(x, y) : null;
        var classes = new List<ClassDiagnosis>();
        foreach (var code in rows.Select(i => cls.Codes[i]).Distinct().Order())
        {
            using var cs = NewDisposeScope();
            var xc = x.index_select(0, y.eq(code).nonzero().squeeze(1));                        // [n_c, D]
            var (probe, knn, chance) = measured?.PerClass.TryGetValue(code, out var v) == true ? v : (double.NaN, double.NaN, double.NaN);
            classes.Add(new ClassDiagnosis(cls.Categories[(int)code], xc.shape[0], probe, knn, chance, nc1?.PerClass.First(p => p.Class == code).Nc1 ?? double.NaN, EffectiveRank.RankMe(xc, ct)));
        }
        var verdict = measured is null ? null : CollapseVerdict.Judge(measured.Readout, reference?.Readout, reference is null ? ReferenceKind.Chance : kind, measured.Chance);
        return new CollapseDiagnosis(cls.Name, sub?.Name, measured, reference, nc1?.Overall ?? double.NaN, verdict, classes);
    }
}
