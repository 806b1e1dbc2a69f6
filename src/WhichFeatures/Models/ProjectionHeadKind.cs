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

/// <summary>The <c>--head</c> choices.</summary>
public static class ProjectionHeadKinds
{
    /// <summary>The definition CLI help, parsing and validation read: none, linear, mlp.</summary>
    public static ChoiceSet<ProjectionHeadKind> All { get; } = new("--head", "projection head",
        new("none", ProjectionHeadKind.None, "the loss reads the representation"),
        new("linear", ProjectionHeadKind.Linear, "one linear layer"),
        new("mlp", ProjectionHeadKind.Mlp, "SimCLR's Linear-ReLU-Linear"));

    /// <summary>Parses a head name (case-insensitive).</summary>
    /// <exception cref="UserInputException">The name is unknown; the message lists the names.</exception>
    public static ProjectionHeadKind Parse(string name) => All.Parse(name);
}
