namespace WhichFeatures.Evaluation;

/// <summary>What <see cref="ProbeSuite.Run"/> measured.</summary>
/// <param name="Probes">One offline probe score per label, in the order probed.</param>
/// <param name="KnnClassAccuracy">Weighted kNN test accuracy on the class label (NaN when not scored).</param>
public sealed record ProbeSuiteResult(IReadOnlyList<ProbeScore> Probes, double KnnClassAccuracy)
{
    /// <summary>The score of <paramref name="label"/>.</summary>
    public ProbeScore this[string label] => Probes.First(p => p.Label == label);
}
