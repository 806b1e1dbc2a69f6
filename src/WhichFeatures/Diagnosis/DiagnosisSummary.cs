using System.Globalization;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Diagnosis;

/// <summary>The console summary of a diagnosis: every verdict the report has, one line each.</summary>
public static class DiagnosisSummary
{
    /// <summary>The lines, in report order: protocol and reference, one per attribute, collapse, suppression, RankMe.</summary>
    public static IEnumerable<string> Lines(DiagnosisResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return $"{r.Source}: {r.Rows} x {r.Dimensions}, {r.Evaluation}";
        yield return $"reference: {r.Reference.Describe()} ({r.ReferenceSource}); accuracies over all scored rows with 95 % intervals";
        foreach (var a in r.Attributes)
        {
            string reference = a.Reference is { } refA ? string.Create(inv, $"  ref probe {refA.Readout.Probe.Value:0.000} kNN {refA.Readout.Knn?.Value:0.000}") : "";
            yield return string.Create(inv, $"  {a.Name,-20} probe {a.Probe}  kNN {a.Knn}  chance {a.Measured.Chance:0.000}  majority {a.Measured.Majority:0.000}{reference}  -> {a.Readability.Text}; {a.Suppression.Text}");
        }
        if (r.Collapse is { Verdict: { } c })
            yield return "  " + c.Sentence;
        else if (r.Collapse is { } nc)
            yield return string.Create(inv, $"  NC1 of {nc.ClassColumn} {nc.Nc1:0.000}; collapse not judged (no subclass column)");
        yield return $"  Feature suppression: {r.SuppressionVerdict}.";
        if (r.Reference == ReferenceKind.Chance)
            yield return "  (no encoder reference: suppression is not judged; give --baseline-embeddings, --baseline-onnx, or use --run)";
        yield return string.Create(inv, $"  RankMe {r.RankMe:0.0} of at most {Math.Min(r.Rows, r.Dimensions)}");
    }
}
