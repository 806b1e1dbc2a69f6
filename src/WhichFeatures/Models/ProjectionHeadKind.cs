using WhichFeatures.Core;

namespace WhichFeatures.Models;

/// <summary>What sits between the representation (what probes read) and the projection (what the loss reads).</summary>
public enum ProjectionHeadKind
{
    /// <summary>No head: the loss reads the representation itself.</summary>
    None,
    /// <summary>One linear layer to the projection size.</summary>
    Linear,
    /// <summary>SimCLR / SupContrast's head: Linear(p, p) - ReLU - Linear(p, projection size).</summary>
    Mlp,
}

/// <summary>Parsing of <see cref="ProjectionHeadKind"/> names.</summary>
public static class ProjectionHeadKinds
{
    /// <summary>The accepted names: none, linear, mlp.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "none", "linear", "mlp" };

    /// <summary>Parses "none", "linear" or "mlp" (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="UserInputException">The name is unknown; the message lists the names.</exception>
    public static ProjectionHeadKind Parse(string name) =>
        (name ?? "").Trim().ToLowerInvariant() switch
        {
            "none" => ProjectionHeadKind.None,
            "linear" => ProjectionHeadKind.Linear,
            "mlp" => ProjectionHeadKind.Mlp,
            _ => throw new UserInputException($"--head {name}: unknown projection head; expected one of {string.Join(", ", Names)}."),
        };
}
