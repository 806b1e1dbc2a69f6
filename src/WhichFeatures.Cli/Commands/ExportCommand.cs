using System.CommandLine;
using WhichFeatures.Interop;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary><c>whichfeatures export --run DIR --format npy|npz|tsv</c>: a trained encoder's representations and labels, for Python or the TensorBoard projector.</summary>
public static class ExportCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The --out folder of a train run.", Required = true };
        var format = new Option<string>("--format") { Description = "npy (one file per array), npz (one archive per split) or tsv (TensorBoard projector).", DefaultValueFactory = _ => "npz" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Dataset folder, if it moved since training." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the files (default: <run>/export-<format>)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var cmd = new Command("export", "Write a trained encoder's train and test representations with their labels (NumPy .npy/.npz or TensorBoard .tsv).")
        { run, format, dataDir, outDir, force };
        cmd.SetAction(parse =>
        {
            var fmt = RepresentationExport.ParseFormat(parse.GetValue(format)!);
            var runDir = parse.GetValue(run)!;
            var outPath = parse.GetValue(outDir) ?? Path.Combine(runDir, $"export-{fmt}");
            OutputFolder.Check(outPath, parse.GetValue(force));
            using var reps = RunProber.Representations(runDir, parse.GetValue(dataDir));
            var dir = OutputFolder.Prepare(outPath, parse.GetValue(force));
            var files = RepresentationExport.Write(dir, fmt,
            [
                new("train", reps.TrainFeatures, reps.Train.Labels, reps.Train.LabelNames),
                new("test", reps.TestFeatures, reps.Test.Labels, reps.Test.LabelNames),
            ]);
            Console.WriteLine($"{runDir}: epoch {reps.Epoch}, {reps.Layer}; {reps.Train.Count} train and {reps.Test.Count} test rows");
            Console.WriteLine($"Written to {dir}: {string.Join(", ", files)}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
