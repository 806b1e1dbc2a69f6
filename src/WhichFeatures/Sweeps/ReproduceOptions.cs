using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;

namespace WhichFeatures.Sweeps;

/// <summary>
/// The options of <c>whichfeatures reproduce</c> as parsed, before any default is chosen or any check is made
/// (<see cref="Reproduction.Prepare"/> does both). The real-suite options are ignored for the theory suite; the CLI
/// refuses them there.
/// </summary>
public sealed record ReproduceOptions
{
    /// <summary>Which suite.</summary>
    public SuiteKind Suite { get; init; } = SuiteKind.Theory;
    /// <summary>Seeds per claim; null = <see cref="ReproduceDefaults.Seeds"/>.</summary>
    public int? Seeds { get; init; }
    /// <summary>First seed; null = the suite's own.</summary>
    public int? BaseSeed { get; init; }
    /// <summary>Smaller sizes and fewer steps (a smoke run).</summary>
    public bool Quick { get; init; }
    /// <summary>Comma-separated experiment names; null or blank = the whole suite.</summary>
    public string? Only { get; init; }
    /// <summary>Torch CPU threads as given (0 = libtorch's default; see <see cref="ReproduceDefaults.Threads"/>).</summary>
    public int Threads { get; init; }
    /// <summary>Units trained at once (this process and Jobs - 1 worker processes).</summary>
    public int Jobs { get; init; } = 1;
    /// <summary>Real suite: the data folder (required there).</summary>
    public string? DataDir { get; init; }
    /// <summary>Real suite: the scale.</summary>
    public ScaleKind Scale { get; init; } = ScaleKind.Cpu;
    /// <summary>Real suite: factor on every experiment's epochs.</summary>
    public double EpochScale { get; init; } = 1;
    /// <summary>Real suite: RandBit bits; null = the scale's.</summary>
    public int? RandBits { get; init; }
    /// <summary>Real suite: the device (auto, cpu, cuda or cuda:N), parsed from trimmed lower-case text.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>Real suite: one dataset for every experiment; null = each experiment's own.</summary>
    public string? Dataset { get; init; }
    /// <summary>Real suite: JSON superclass map; null = the dataset's built-in superclasses.</summary>
    public string? SuperclassMap { get; init; }
    /// <summary>Real suite: score on a validation split instead of the test split.</summary>
    public bool Validation { get; init; }
}
