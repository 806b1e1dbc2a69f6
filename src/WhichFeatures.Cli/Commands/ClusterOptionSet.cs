using System.CommandLine;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Cli.Commands;

/// <summary>The scheduler options of <c>reproduce --plan</c> (partition, time, memory, GPU, parallelism, launcher, image).</summary>
public sealed class ClusterOptionSet
{
    private static readonly ClusterOptions Defaults = new();
    private Option<string?> _partition = null!, _time = null!, _memory = null!, _launcher = null!;
    private Option<string> _image = null!;
    private Option<int> _cpus = null!, _maxParallel = null!;
    private Option<bool> _gpu = null!;

    /// <summary>Makes the options.</summary>
    public static ClusterOptionSet Create() => new()
    {
        _partition = new Option<string?>("--partition") { Description = "--plan: Slurm partition (default: the cluster's default)." },
        _time = new Option<string?>("--time") { Description = "--plan: wall-time limit per unit (Slurm format; default: the suite's measured longest unit x 3, at least 10 minutes, printed with the plan)." },
        _memory = new Option<string?>("--mem") { Description = "--plan: memory per unit (e.g. 8G; default: the suite's measured peak x 1.5, at least 2G, printed with the plan)." },
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
    /// The validated options: <c>--time</c> and <c>--mem</c> default to <paramref name="resources"/> (the suite's
    /// measured unit cost with a margin), <c>--launcher</c> to <see cref="LauncherChoice.Default"/>; the chosen
    /// values come back with why, for the plan to print.
    /// </summary>
    public (ClusterOptions Options, UnitResources Resources, LauncherChoice Launcher) Read(ParseResult parse, UnitResources resources)
    {
        var chosen = resources.WithGiven(parse.GetValue(_time), parse.GetValue(_memory));
        var launcher = parse.GetValue(_launcher) is { } given
            ? LauncherChoice.Given(given)
            : LauncherChoice.Default(Environment.ProcessPath, typeof(CliApp).Assembly.Location, Environment.GetEnvironmentVariable("PATH"));
        var options = new ClusterOptions
        {
            Partition = parse.GetValue(_partition), Time = chosen.Time, Memory = chosen.Memory, CpusPerTask = parse.GetValue(_cpus),
            Gpu = parse.GetValue(_gpu), MaxParallel = parse.GetValue(_maxParallel), Launcher = launcher.Command, Image = parse.GetValue(_image)!,
        }.Validate();
        return (options, chosen, launcher);
    }
}
