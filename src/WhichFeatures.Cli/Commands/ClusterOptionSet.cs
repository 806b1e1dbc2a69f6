using System.CommandLine;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Cli.Commands;

/// <summary>The scheduler options of <c>reproduce --plan</c> (partition, time, memory, GPU, parallelism, launcher, image).</summary>
public sealed class ClusterOptionSet
{
    private static readonly ClusterOptions Defaults = new();
    private Option<string?> _partition = null!, _launcher = null!;
    private Option<string> _time = null!, _memory = null!, _image = null!;
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
        _launcher = new Option<string?>("--launcher") { Description = "--plan: command that starts whichfeatures on a node (default: `whichfeatures` when that is this program on PATH, else this program's path; printed with the plan)." },
        _image = new Option<string>("--image") { Description = "--plan: container image of the Kubernetes Job.", DefaultValueFactory = _ => Defaults.Image },
    };

    /// <summary>Adds the options to <paramref name="cmd"/>.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { _partition, _time, _memory, _cpus, _gpu, _maxParallel, _launcher, _image }) cmd.Add(o);
    }

    /// <summary>
    /// The validated options: <c>--launcher</c> defaults to <see cref="LauncherChoice.Default"/>; the chosen launcher
    /// comes back with why, for the plan to print.
    /// </summary>
    public (ClusterOptions Options, LauncherChoice Launcher) Read(ParseResult parse)
    {
        var launcher = parse.GetValue(_launcher) is { } given
            ? LauncherChoice.Given(given)
            : LauncherChoice.Default(Environment.ProcessPath, typeof(CliApp).Assembly.Location, Environment.GetEnvironmentVariable("PATH"));
        var options = new ClusterOptions
        {
            Partition = parse.GetValue(_partition), Time = parse.GetValue(_time)!, Memory = parse.GetValue(_memory)!, CpusPerTask = parse.GetValue(_cpus),
            Gpu = parse.GetValue(_gpu), MaxParallel = parse.GetValue(_maxParallel), Launcher = launcher.Command, Image = parse.GetValue(_image)!,
        }.Validate();
        return (options, launcher);
    }
}
