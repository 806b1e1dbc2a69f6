using System.CommandLine;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures reproduce</c>: run a whole suite of the paper's claims and write one report.</summary>
public static class ReproduceCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var suite = new Option<string>("--suite") { Description = "Which suite: " + SuiteKinds.All.Help, DefaultValueFactory = _ => SuiteKind.Theory.Name() };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default: runs/reproduce-<suite>-<time>)." };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per claim (default 3, 2 for the real suite's --quick smoke run; the real suite's joint loss runs 2 more; claims are decided on all of them)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "real suite: folder holding cifar-10-batches-bin/ and mnist/ (and cifar-100-binary/ if you have it)." };
        var scale = new Option<string>("--scale") { Description = "real suite: " + ScaleKinds.All.Help, DefaultValueFactory = _ => ScaleKinds.All.NameOf(ScaleKind.Cpu) };
        var baseSeed = new Option<int?>("--base-seed") { Description = "First seed; seeds are base, base+1, ... (default: the suite's own, 1 for theory as in `theory`, 0 for real)." };
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and fewer steps (for a smoke run)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var only = new Option<string?>("--only") { Description = "Comma-separated experiment names to run (default: the whole suite)." };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0 = libtorch default).", DefaultValueFactory = _ => 0 };
        var epochScale = new Option<double>("--epoch-scale") { Description = "real suite: multiply every experiment's epochs (e.g. 2.5 for a longer run; 1 = the scale's schedule).", DefaultValueFactory = _ => 1 };
        var randBits = new Option<int?>("--randbits") { Description = "real suite: RandBit bits k of the RandBit experiments (default: the scale's, 5 at cpu scale)." };
        var realDataset = new Option<string?>("--dataset") { Description = "real suite: run every experiment on this dataset instead of its own (use with --only; default: each experiment's, e.g. mnist for fs-embedding-mnist-randbit)." };
        var superclassMap = new Option<string?>("--superclass-map") { Description = "real suite: JSON superclass map (superclass -> class ids) for the experiments on a hierarchy (cc-over-training, joint-loss); default: the dataset's built-in superclasses." };
        var validation = new Option<bool>("--validation") { Description = "real suite: score every run on a validation split carved from the training data instead of the test split (how the presets were chosen)." };
        var device = new Option<string>("--device") { Description = "real suite: device of every training run: auto, cpu or cuda.", DefaultValueFactory = _ => DeviceKinds.DefaultName };
        var jobs = new Option<int>("--jobs") { Description = "Units trained at once: this process and N - 1 worker processes share the units through the run folder's locks (each on --threads threads, 1 when --jobs > 1 and --threads is 0).", DefaultValueFactory = _ => 1 };
        var plan = new Option<string?>("--plan") { Description = "Run nothing: write the sweep (manifest.jsonl, slurm.sbatch, k8s-job.yaml, README.md) into this new folder." };
        var cluster = ClusterOptionSet.Create();
        var cmd = new Command("reproduce", "Reproduce the paper's claims and write results.json, CSVs, plots and report.html (or, with --plan, a sweep for a cluster).")
        { suite, outDir, seeds, baseSeed, quick, force, only, threads, dataDir, scale, epochScale, randBits, realDataset, superclassMap, validation, device, jobs, plan };
        cluster.AddTo(cmd);
        cmd.SetAction((parse, ct) =>
        {
            var chosen = SuiteKinds.All.Find(parse.GetValue(suite));
            var (kind, name) = (chosen.Value, chosen.Name);
            if (kind != SuiteKind.Real)
                foreach (var realOnly in new Option[] { dataDir, scale, epochScale, randBits, realDataset, superclassMap, validation, device })
                    if (parse.GetResult(realOnly) is { Implicit: false })
                        throw new UserInputException($"{realOnly.Name}: only the real suite takes it (add --suite real).");
            var reproduction = Reproduction.Prepare(new ReproduceOptions
            {
                Suite = kind, Seeds = parse.GetValue(seeds), BaseSeed = parse.GetValue(baseSeed), Quick = parse.GetValue(quick), Only = parse.GetValue(only),
                Threads = parse.GetValue(threads), Jobs = parse.GetValue(jobs),
                DataDir = parse.GetValue(dataDir), Scale = ScaleKinds.All.Parse(parse.GetValue(scale)), EpochScale = parse.GetValue(epochScale),
                RandBits = parse.GetValue(randBits), Device = DeviceChoice.Parse(parse.GetValue(device)!.Trim().ToLowerInvariant(), device.Name),
                Dataset = parse.GetValue(realDataset), SuperclassMap = parse.GetValue(superclassMap), Validation = parse.GetValue(validation),
            });
            var (clusterOptions, resources, launcher) = cluster.Read(parse, reproduction.Resources);
            var (sweepPlan, units) = reproduction.Plan(clusterOptions);

            if (parse.GetValue(plan) is { } planDir)
            {
                if (parse.GetResult(outDir) is { Implicit: false }) throw new UserInputException("--plan and --out: give one (--plan writes a sweep and runs nothing).");
                var full = SweepFolder.WriteNew(planDir, sweepPlan, units);
                Console.WriteLine(resources.Describe());
                Console.WriteLine(launcher.Describe());
                Console.WriteLine($"Planned {units.Count} units in {full}; run them with one of the commands in {Path.Combine(full, "README.md")}:");
                Console.WriteLine($"  sbatch {Path.Combine(full, SweepScripts.SlurmFile)}");
                Console.WriteLine($"  kubectl apply -f {Path.Combine(full, SweepScripts.KubernetesFile)}");
                Console.WriteLine($"  {launcher.Command} sweep run {full} --all --jobs 2");
                return Task.FromResult(CliApp.Ok);
            }

            var requested = parse.GetValue(outDir) ?? OutputFolder.Default($"reproduce-{name}");
            var dir = OutputFolder.Prepare(requested, parse.GetValue(force), resume: SweepFolder.Holds(Path.GetFullPath(requested), sweepPlan, units));
            var self = reproduction.Jobs > 1 ? ProgramCommand.ForProcess(Environment.ProcessPath, Environment.GetCommandLineArgs()[0]) : null;
            var command = "whichfeatures " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            var run = LocalReproduction.Run(dir, sweepPlan, units, reproduction.Jobs, self, command, Console.Out, ct: ct);
            PrintSummary(run.Results, dir, run.Elapsed, sweepPlan.IsSmokeRun);
            return Task.FromResult(CliApp.Ok);
        });
        return cmd;
    }

    /// <summary>Prints one line per claim and where the report is.</summary>
    public static void PrintSummary(IEnumerable<ExperimentResult> results, string dir, TimeSpan elapsed, bool smokeRun = false)
    {
        var claims = results.SelectMany(r => r.Claims).ToList();
        if (smokeRun) Console.WriteLine(RunWriter.SmokeRunNote);
        foreach (var c in claims)
        {
            var key = string.Join("; ", c.Values.Take(3).Select(kv => $"{kv.Key} = {kv.Value.Mean:0.###}"));
            Console.WriteLine($"{c.Id,-6} {(c.Holds ? "holds        " : "DOES NOT HOLD")}  {key}");
        }
        Console.WriteLine($"{claims.Count(c => c.Holds)} of {claims.Count} claims hold{(smokeRun ? " in this smoke run" : "")} ({elapsed.TotalSeconds:0} s).");
        Console.WriteLine($"Report: {Path.Combine(dir, "report.html")}");
    }
}
