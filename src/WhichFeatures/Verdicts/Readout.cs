namespace WhichFeatures.Verdicts;

/// <summary>
/// How well one attribute is read from one embedding by the two readers every verdict counts: a linear probe and
/// kNN (null where kNN was not scored). An attribute is absent only when neither reads it.
/// </summary>
/// <param name="Probe">Linear probe held-out accuracy.</param>
/// <param name="Knn">kNN held-out accuracy, or null.</param>
public sealed record Readout(Accuracy Probe, Accuracy? Knn = null)
{
    /// <summary>The reader with the higher accuracy (the probe on a tie).</summary>
    public Accuracy Best => Knn is { } k && k.Value > Probe.Value ? k : Probe;

    /// <summary>"linear probe" or "kNN": who <see cref="Best"/> is.</summary>
    public string BestReader => Knn is { } k && k.Value > Probe.Value ? "kNN" : "linear probe";

    /// <summary>Every reader that was scored.</summary>
    public IEnumerable<Accuracy> Readers => Knn is { } k ? [Probe, k] : [Probe];
}
