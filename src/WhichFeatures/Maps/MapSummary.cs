namespace WhichFeatures.Maps;

/// <summary>What a run's or a diagnosis's t-SNE map was made of, for results.json and the report.</summary>
/// <param name="Rows">Points mapped (a seeded subsample when the split had more).</param>
/// <param name="OfRows">Rows of the split it was drawn from.</param>
/// <param name="Split">Which rows: "test split" or "training split".</param>
/// <param name="Method">Exact or Barnes-Hut.</param>
/// <param name="Perplexity">The perplexity used.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Divergence">Final KL(P ‖ Q).</param>
/// <param name="Files">The map images (tsne_&lt;label&gt;.png), first the class's; the coordinates are in tsne.csv.</param>
public sealed record MapSummary(int Rows, long OfRows, string Split, TsneMethod Method, double Perplexity, int Iterations, double Divergence, IReadOnlyList<string> Files)
{
    /// <summary>What a t-SNE map cannot show, said once under every map.</summary>
    public const string Caveat = "A t-SNE map keeps who is near whom; the distances between clusters and the sizes of clusters on it carry no meaning.";

    /// <summary>One sentence: what was mapped and how.</summary>
    public string Describe() =>
        $"t-SNE of {Rows:N0} {(Rows < OfRows ? $"seeded random rows of the {OfRows:N0} of the {Split}" : $"rows of the {Split}")} " +
        $"(perplexity {Perplexity:0.#}, {(Method == TsneMethod.Exact ? "exact gradient" : "Barnes-Hut, angle 0.5")}, {Iterations} iterations, KL {Divergence:0.000}). {Caveat}";
}
