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
        var labels = new Option<string?>("--labels") { Description = "CSV of your own attributes: header split,position,<attr>... or split,source_index,<attr>...; split = train|test, position = row in that split as the run loaded it, source_index = record in the dataset's file(s) (both listed in the run's samples.csv)." };
        var bins = new Option<int?>("--bins") { Description = "Cut numeric attributes (more than 20 distinct values) into this many quantile bins of their training values; without it they are refused." };
        var randomInit = new Option<bool>("--random-init") { Description = "Probe the encoder at its (seeded) initialisation instead: the baseline a trained encoder should beat." };
        var cmd = new Command("probe", "Fit a linear probe per label on a trained encoder's frozen representation (last checkpoint) and report test accuracy.")
        { run, dataDir, labels, randomInit, bins };
        cmd.SetAction(parse =>
        {
            var runDir = parse.GetValue(run)!;
            // The probe writes into the run folder: one writer at a time (a folder that is not there gets Probe's own error).
            using var writer = Directory.Exists(runDir) ? OutputFolder.Lock(runDir, "--run") : null;
            var r = RunProber.Probe(runDir, parse.GetValue(dataDir), parse.GetValue(labels), randomInit: parse.GetValue(randomInit), bins: parse.GetValue(bins));
            Console.WriteLine($"{r.Run}: {(r.Epoch == 0 ? "random initialisation" : $"epoch {r.Epoch}")}, {r.Layer}; {r.Protocol}");
            foreach (var p in r.Probes)
                Console.WriteLine($"  {p.Label,-20} test accuracy {p.TestAccuracy:0.0000}  (train {p.TrainAccuracy:0.0000}, {p.Classes} classes" +
                                  (p.RandomInit is { } ri ? $"; random init {ri:0.0000}" : "") + $"; chance {p.Chance:0.0000}, majority {p.Majority:0.0000})");
            if (!double.IsNaN(r.KnnClassAccuracy)) Console.WriteLine($"  kNN class accuracy {r.KnnClassAccuracy:0.0000}");
            if (r.SkippedRows > 0) Console.WriteLine($"  {r.SkippedRows} rows of {r.LabelsFile} name images this run did not load (source_index not in samples.csv); skipped.");
            if (r.SubclassCollapse is { } c) Console.WriteLine(c.Sentence);
            foreach (var v in r.Suppression ?? []) Console.WriteLine("Suppression: " + v.Sentence);
            if (r.Learnt is { } learnt) Console.WriteLine(learnt.Sentence);
            Console.WriteLine($"Written: {Path.Combine(r.Run, RunProber.ResultFileName(r.LabelsFile, parse.GetValue(randomInit)))}" +
                              (File.Exists(Path.Combine(r.Run, "report.md")) ? $"; report with every probe so far: {Path.Combine(r.Run, "report.md")}" : ""));
            return CliApp.Ok;
        });
        return cmd;
    }
}
