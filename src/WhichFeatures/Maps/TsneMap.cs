namespace WhichFeatures.Maps;

/// <summary>A finished t-SNE map.</summary>
/// <param name="Coordinates">Row-major N × 2: point i is at (Coordinates[2i], Coordinates[2i + 1]).</param>
/// <param name="Divergence">KL(P ‖ Q) at the last iteration (without exaggeration).</param>
/// <param name="Iterations">Iterations run (fewer than asked when progress stopped).</param>
/// <param name="Method">The gradient used: exact or Barnes-Hut.</param>
public sealed record TsneMap(double[] Coordinates, double Divergence, int Iterations, TsneMethod Method)
{
    /// <summary>Wall seconds of the three stages: distances and neighbours, affinities (perplexity search), optimisation.</summary>
    public (double Neighbours, double Affinities, double Descent) Seconds { get; init; }

    /// <summary>Number of points.</summary>
    public int Rows => Coordinates.Length / 2;
}
