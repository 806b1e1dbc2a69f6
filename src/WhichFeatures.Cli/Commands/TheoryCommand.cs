using System.CommandLine;
using WhichFeatures.Core;
using WhichFeatures.Experiments.Theory;
using WhichFeatures.Reporting;
using WhichFeatures.LinearSetting;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures theory &lt;experiment&gt;</c>: run one linear-model experiment of the theory lab and write its run folder.</summary>
public static class TheoryCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var experiment = new Argument<string>("experiment") { Description = $"One of: {string.Join(", ", TheorySuite.All.Select(e => e.Name))}." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds to run; claims are decided over all of them.", DefaultValueFactory = _ => 3 };
        var baseSeed = new Option<long>("--base-seed") { Description = "First seed (seed i = base + i).", DefaultValueFactory = _ => 1 };
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes and fewer steps." };
        var outDir = new Option<string?>("--out") { Description = "Run folder (default: runs/theory-<experiment>-<time>)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var n = new Option<int?>("--n") { Description = "Training examples n." };
        var nTest = new Option<int?>("--n-test") { Description = "Fresh test examples (half fit the probes, half score them)." };
        var d = new Option<int?>("--d") { Description = "Input dimension d." };
        var p = new Option<int?>("--p") { Description = "Embedding size p (sweeps: replaces the sweep, see docs/theory.md)." };
        var a = new Option<double?>("--a") { Description = "Class feature strength a." };
        var b = new Option<double?>("--b") { Description = "Subclass feature strength b." };
        var c = new Option<double?>("--c") { Description = "Easy irrelevant feature strength c." };
        var easyCount = new Option<int?>("--easy-count") { Description = "Number of easy irrelevant bits." };
        var m = new Option<int?>("--m") { Description = "Diverse irrelevant subspace dimension m." };
        var gamma = new Option<double?>("--gamma") { Description = "Norm of each example's diverse irrelevant vector." };
        var sigma = new Option<double?>("--sigma") { Description = "Noise level sigma (N(0, sigma^2/d) per noise coordinate)." };
        var lr = new Option<double?>("--lr") { Description = "Learning rate of (S)GD." };
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps." };
        var initStd = new Option<double?>("--init-std") { Description = "Standard deviation of the random initialisation." };
        var batch = new Option<int?>("--batch") { Description = "Mini-batch size (0 = full-batch GD)." };
        var loss = new Option<string?>("--loss") { Description = "Loss family where the experiment trains by GD: " + string.Join(" or ", LossFamilies.All.Names) + "." };
        var tau = new Option<double?>("--tau") { Description = "InfoNCE temperature." };
        var normalize = new Option<bool?>("--normalize") { Description = "InfoNCE on L2-normalised embeddings (true/false)." };
        var beta = new Option<double?>("--beta") { Description = "Joint loss weight of SCL in [0, 1] (joint: runs 0, beta, 1)." };
        var cmd = new Command("theory", "Run one experiment of the linear-model theory lab (toy, cc-minimizers, cc-dynamics, fs-embedding, fs-augmentation, joint).")
        {
            experiment, seeds, baseSeed, quick, outDir, force, n, nTest, d, p, a, b, c, easyCount, m, gamma, sigma, lr, steps, initStd, batch, loss, tau, normalize, beta,
        };
        cmd.SetAction((parse, ct) =>
        {
            var exp = TheorySuite.Get(parse.GetValue(experiment)!);
            var options = new TheoryRunOptions
            {
                Seeds = parse.GetValue(seeds), BaseSeed = parse.GetValue(baseSeed), Quick = parse.GetValue(quick),
                N = parse.GetValue(n), NTest = parse.GetValue(nTest), D = parse.GetValue(d), P = parse.GetValue(p),
                A = parse.GetValue(a), B = parse.GetValue(b), C = parse.GetValue(c), EasyCount = parse.GetValue(easyCount),
                M = parse.GetValue(m), Gamma = parse.GetValue(gamma), Sigma = parse.GetValue(sigma),
                LearningRate = parse.GetValue(lr), Steps = parse.GetValue(steps), InitStd = parse.GetValue(initStd), BatchSize = parse.GetValue(batch),
                Loss = parse.GetValue(loss) is { } lossName ? LossFamilies.All.Parse(lossName) : null,
                Temperature = parse.GetValue(tau), Normalize = parse.GetValue(normalize), Beta = parse.GetValue(beta),
            }.Validate();
            var dir = OutputFolder.Prepare(parse.GetValue(outDir) ?? OutputFolder.Default($"theory-{exp.Name}"), parse.GetValue(force));
            return Task.FromResult(Run(exp, options, dir, ct));
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="experiment"/>, writes the run folder, prints each claim's verdict; returns the exit code.</summary>
    public static int Run(ITheoryExperiment experiment, TheoryRunOptions options, string dir, CancellationToken ct = default)
    {
        var result = ConsoleProgress.Run(progress => experiment.Run(options, progress, ct), stopping: ct);
        var config = new { Experiment = experiment.Name, Options = options, ExperimentParameters = result.Parameters };
        RunWriter.Write(dir, $"theory/{experiment.Name}", [result], config);
        foreach (var claim in result.Claims)
            Console.WriteLine($"{claim.Id,-6} {(claim.Holds ? "holds" : "DOES NOT HOLD")}  {claim.Method}");
        Console.WriteLine($"Results: {Path.Combine(dir, "results.json")}");
        return CliApp.Ok;
    }
}
