using WhichFeatures.Core;

namespace WhichFeatures.Experiments.Real;

/// <summary>The named scales of the real-data suite; <see cref="RealScale"/> holds each one's schedule.</summary>
public enum ScaleKind
{
    /// <summary>The ConvN encoder on CPU-sized subsets; the default suite fits in 45 minutes on 2 cores with <c>--jobs 2</c> (about 66 in one process).</summary>
    Cpu,
    /// <summary>ResNet-18 on the full data with a paper-sized schedule (for a GPU).</summary>
    Paper,
}

/// <summary>The <c>--scale</c> choices.</summary>
public static class ScaleKinds
{
    /// <summary>The definition CLI help, parsing and validation read: cpu, paper.</summary>
    public static ChoiceSet<ScaleKind> All { get; } = new("--scale", "scale",
        new("cpu", ScaleKind.Cpu, "ConvN encoder, under 45 minutes on 2 cores with --jobs 2"),
        new("paper", ScaleKind.Paper, "ResNet-18, the paper-sized schedule, for a GPU"));
}
