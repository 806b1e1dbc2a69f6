namespace WhichFeatures.Reporting;

/// <summary>
/// One claim of the paper as we tested it: the criterion it is judged by (fixed before running),
/// whether it held, and the numbers that decided it (mean and spread over seeds).
/// </summary>
public sealed class ClaimResult
{
    /// <summary>Claim id, e.g. "CC-1" or "FS-2".</summary>
    public required string Id { get; init; }
    /// <summary>One-line statement of the claim in the paper's words.</summary>
    public required string Statement { get; init; }
    /// <summary>The pass criterion, stated in full (thresholds included).</summary>
    public required string Criterion { get; init; }
    /// <summary>Whether the criterion held (on every seed where the criterion says so).</summary>
    public required bool Holds { get; init; }
    /// <summary>Which loss family and solver showed it, e.g. "spectral SCL, full-batch GD".</summary>
    public string Method { get; init; } = "";
    /// <summary>The measured numbers, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, Stat>> Values { get; init; } = [];
    /// <summary>What we found, including what falls short; shown in the report.</summary>
    public string Notes { get; init; } = "";
    /// <summary>
    /// A verdict in words ("collapsed", "undecided", ...) for reports that judge an encoder rather than test a claim
    /// (<c>diagnose</c>); null for a claim, which <see cref="Holds"/> or does not.
    /// </summary>
    public string? Verdict { get; init; }
    /// <summary>The typed verdict behind <see cref="Verdict"/> (reference, intervals), written to results.json as is.</summary>
    public object? Evidence { get; init; }
    /// <summary>What the values' spread is over: "seed" (claims) or "fold" / "split" (a diagnosis).</summary>
    public string ValuesOver { get; init; } = "seed";
    /// <summary>File names (relative to the run folder) of the plots that belong to this claim.</summary>
    public IReadOnlyList<string> Plots { get; init; } = [];
    /// <summary>Small tables shown with the claim in the report (e.g. the measured numbers beside the paper's); none for most claims.</summary>
    public IReadOnlyList<ClaimTable> Tables { get; init; } = [];
}
