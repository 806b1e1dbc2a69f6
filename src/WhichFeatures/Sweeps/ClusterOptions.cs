using WhichFeatures.Core;

namespace WhichFeatures.Sweeps;

/// <summary>How the generated Slurm and Kubernetes scripts ask for resources (docs/cluster.md explains the choices).</summary>
public sealed record ClusterOptions
{
    /// <summary>Slurm partition (null = the cluster's default).</summary>
    public string? Partition { get; init; }
    /// <summary>Wall-time limit per unit, Slurm format (e.g. "04:00:00"); `reproduce --plan` fills it from <see cref="UnitResources"/> unless --time is given.</summary>
    public string Time { get; init; } = "04:00:00";
    /// <summary>Memory per unit (Slurm format, e.g. "8G"; also the Kubernetes request); `reproduce --plan` fills it from <see cref="UnitResources"/> unless --mem is given.</summary>
    public string Memory { get; init; } = "8G";
    /// <summary>CPU cores per unit.</summary>
    public int CpusPerTask { get; init; } = 2;
    /// <summary>Ask for one GPU per unit.</summary>
    public bool Gpu { get; init; }
    /// <summary>Units running at once (the %M of the Slurm array, the Kubernetes parallelism); 0 = all.</summary>
    public int MaxParallel { get; init; }
    /// <summary>How to start whichfeatures on a node, e.g. "whichfeatures" or "dotnet /opt/wf/WhichFeatures.Cli.dll".</summary>
    public string Launcher { get; init; } = "whichfeatures";
    /// <summary>Container image of the Kubernetes Job.</summary>
    public string Image { get; init; } = "whichfeatures:latest";

    /// <summary>Throws <see cref="UserInputException"/> naming the first invalid option.</summary>
    public ClusterOptions Validate()
    {
        if (CpusPerTask < 1) throw new UserInputException($"--cpus-per-task {CpusPerTask}: expected at least 1.");
        if (MaxParallel < 0) throw new UserInputException($"--max-parallel {MaxParallel}: expected 0 (all at once) or a positive count.");
        if (string.IsNullOrWhiteSpace(Launcher)) throw new UserInputException("--launcher: expected the command that starts whichfeatures on a node.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(Time, @"^(\d+-)?\d{1,3}(:\d{2}){0,2}$")) throw new UserInputException($"--time {Time}: expected a Slurm time such as 04:00:00 or 1-00:00:00.");
        if (!System.Text.RegularExpressions.Regex.IsMatch(Memory, @"^\d+[KMGT]?$")) throw new UserInputException($"--mem {Memory}: expected a size such as 8G or 16000M.");
        if (Partition is { } p && !System.Text.RegularExpressions.Regex.IsMatch(p, @"^[A-Za-z0-9_.-]+$")) throw new UserInputException($"--partition {p}: expected a partition name (letters, digits, _ . -).");
        return this;
    }
}
