using System.CommandLine;
using WhichFeatures.Comparison;

namespace WhichFeatures.Cli.Commands;

/// <summary>
/// <c>whichfeatures compare RUN_OR_DIAGNOSIS...</c>: training runs, diagnoses, reproduce or sweep folders side by side
/// in one report (Comparison/). The verb only parses and prints.
/// </summary>
public static class CompareCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var folders = new Argument<string[]>("FOLDER") { Description = "Two or more folders: the --out of train, diagnose or reproduce, or a sweep folder.", Arity = ArgumentArity.ZeroOrMore };
        var names = new Option<string[]>("--name") { Description = "A name per folder, in the same order, for the report (default: the folder's name). Repeatable.", DefaultValueFactory = _ => [] };
        var outDir = new Option<string?>("--out") { Description = "Report folder (default: runs/compare-<time>)." };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty --out folder." };
        var cmd = new Command("compare", "Runs side by side: the per-label probe / kNN table of every input with its reference and verdicts, overlaid training curves, and the maps next to each other.")
        { folders, names, outDir, force };
        cmd.SetAction(parse =>
        {
            var outPath = parse.GetValue(outDir) ?? OutputFolder.Default("compare");
            bool overwrite = parse.GetValue(force);
            OutputFolder.Check(outPath, overwrite);
            var result = ComparisonResult.Of(ComparedInputReader.ReadAll(parse.GetValue(folders) ?? [], parse.GetValue(names) ?? []));
            ComparisonFiles.CheckTarget(outPath, result.Inputs);
            var dir = OutputFolder.Prepare(outPath, overwrite);
            string report;
            using (OutputFolder.Lock(dir)) report = ComparisonFiles.Write(dir, result);
            foreach (var line in result.ConsoleLines()) Console.WriteLine(line);
            Console.WriteLine($"Report: {report}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
