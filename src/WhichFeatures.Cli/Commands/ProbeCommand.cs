using System.CommandLine;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures probe --run DIR</c>: which labels (and which of your own attributes) did a trained encoder keep?</summary>
public static class ProbeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The --out folder of a train run.", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Dataset folder, if it moved since training." };
        var labels = new Option<string?>("--labels") { Description = "CSV of your own attributes: header split,index,<attr>...; split = train|test, index = position in that split as the run loaded it." };
        var randomInit = new Option<bool>("--random-init") { Description = "Probe the encoder at its (seeded) initialisation instead: the baseline a trained encoder should beat." };
        var cmd = new Command("probe", "Fit a linear probe per label on a trained encoder's frozen representation (last checkpoint) and report test accuracy.")
        { run, dataDir, labels, randomInit };
        cmd.SetAction(parse =>
        {
            var r = RunProber.Probe(parse.GetValue(run)!, parse.GetValue(dataDir), parse.GetValue(labels), randomInit: parse.GetValue(randomInit));
            Console.WriteLine($"{r.Run}: {(r.Epoch == 0 ? "random initialisation" : $"epoch {r.Epoch}")}, {r.Layer}; {r.Protocol}");
            foreach (var p in r.Probes)
                Console.WriteLine($"  {p.Label,-20} test accuracy {p.TestAccuracy:0.0000}  (train {p.TrainAccuracy:0.0000}, {p.Classes} classes)");
            if (!double.IsNaN(r.KnnClassAccuracy)) Console.WriteLine($"  kNN class accuracy {r.KnnClassAccuracy:0.0000}");
            Console.WriteLine($"Written: {Path.Combine(r.Run, parse.GetValue(randomInit) ? "probe_results_random_init.json" : "probe_results.json")}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
