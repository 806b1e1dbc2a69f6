namespace WhichFeatures.Verdicts;

/// <summary>What a verdict compares with.</summary>
public enum ReferenceKind
{
    /// <summary>The same architecture at its seeded random initialisation, read the same way.</summary>
    RandomInit,
    /// <summary>Embeddings the user gave as the baseline (the same rows), read the same way.</summary>
    Baseline,
    /// <summary>No encoder reference: chance (1 / categories) or the majority guess.</summary>
    Chance,
}

/// <summary>Report wording of <see cref="ReferenceKind"/>.</summary>
public static class ReferenceKindText
{
    /// <summary>"random initialisation", "the baseline embeddings", "chance".</summary>
    public static string Describe(this ReferenceKind kind) => kind switch
    {
        ReferenceKind.RandomInit => "random initialisation",
        ReferenceKind.Baseline => "the baseline embeddings",
        _ => "chance",
    };
}
