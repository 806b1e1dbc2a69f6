using System.CommandLine;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Cli.Commands;

/// <summary>The scheduler options of <c>reproduce --plan</c> (partition, time, memory, GPU, parallelism, launcher, image).</summary>
public sealed class ClusterOptionSet
{
    private static readonly ClusterOptions Defaults = new();
    private Option<string?> _partition = null!;
    private Option<string> _time = null!, _memory = null!, _launcher = null!, _image = null!;
    private Option<int> _cpus = null!, _maxParallel = null!;
    private Option<bool> _gpu = null!;

    /// <summary>Makes the options.</summary>
    public static ClusterOptionSet Create() => new()
    {
        _partition = new Option<string?>("--partition") { Description = "--plan: Slurm partition (default: the cluster's default)." },
        _time = new Option<string>("--time") { Description = "--plan: wall-time limit per unit (Slurm format).", DefaultValueFactory = _ => Defaults.Time },
        _memory = new Option<string>("--mem") { Description = "--plan: memory per unit (e.g. 8G).", DefaultValueFactory = _ => Defaults.Memory },
        _cpus = new Option<int>("--cpus-per-task") { Description = "--plan: CPU cores per unit.", DefaultValueFactory = _ => Defaults.CpusPerTask },
        _gpu = new Option<bool>("--gpu") { Description = "--plan: ask for one GPU per unit (--gres=gpu:1; nvidia.com/gpu: 1)." },
        _maxParallel = new Option<int>("--max-parallel") { Description = "--plan: units running at once (the array's %M, the Job's parallelism); 0 = all.", DefaultValueFactory = _ => 0 },
        _launcher = new Option<string>("--launcher") { Description = "--plan: command that starts whichfeatures on a node (default: this installation).", DefaultValueFactory = _ => DefaultLauncher() },
        _image = new Option<string>("--image") { Description = "--plan: container image of the Kubernetes Job.", DefaultValueFactory = _ => Defaults.Image },
    };

    /// <summary>Adds the options to <paramref name="cmd"/>.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { _partition, _time, _memory, _cpus, _gpu, _maxParallel, _launcher, _image }) cmd.Add(o);
    }

    /// <summary>The validated options.</summary>
    public ClusterOptions Read(ParseResult parse) => new ClusterOptions
    {
        Partition = parse.GetValue(_partition), Time = parse.GetValue(_time)!, Memory = parse.GetValue(_memory)!, CpusPerTask = parse.GetValue(_cpus),
        Gpu = parse.GetValue(_gpu), MaxParallel = parse.GetValue(_maxParallel), Launcher = parse.GetValue(_launcher)!, Image = parse.GetValue(_image)!,
    }.Validate();

    /// <summary>This installation: the apphost, or "dotnet WhichFeatures.Cli.dll" when run through dotnet.</summary>
    public static string DefaultLauncher()
    {
        var process = Environment.ProcessPath ?? "whichfeatures";
        var dll = typeof(CliApp).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && dll.EndsWith(".dll", StringComparison.Ordinal) ? $"{process} {dll}" : process;
    }
}
