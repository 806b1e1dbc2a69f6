using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;
using WhichFeatures.Training;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Comparison;

/// <summary>
/// Reads a <c>train</c> folder: results.json (<see cref="TrainResults"/>, the final probes, their random-init
/// reference and the verdicts) and metrics.csv (the per-epoch curves). A run without results.json (not finished, or a
/// suite unit's train/ folder) gives its curves only.
/// </summary>
public static class TrainingRunReader
{
    /// <summary>The plots <c>train</c> writes, shown in the run's own section.</summary>
    public static readonly string[] OwnPlotFiles = ["probe_curves.png", "loss.png"];

    /// <summary>Reads <paramref name="folder"/> as the input called <paramref name="name"/>.</summary>
    public static ComparedInput Read(string folder, string name)
    {
        var metrics = Path.Combine(folder, "metrics.csv");
        var history = File.Exists(metrics) ? MetricsCsv.Read(metrics) : null;
        var input = new ComparedInput(name, folder, ComparedInputKind.TrainingRun)
        {
            Maps = MapImages.Find(folder),
            OwnPlots = OwnPlotFiles.Where(f => File.Exists(Path.Combine(folder, f))).ToList(),
        };
        var resultsPath = Path.Combine(folder, "results.json");
        if (!File.Exists(resultsPath))
            return input with
            {
                Dataset = ReadConfig(Path.Combine(folder, "config.json")) is { } c ? DatasetIdentity.Of(c) : null,
                History = history ?? [], Notes = ["no results.json yet (a run not finished, or a reproduce unit's run): its curves only"],
            };
        var r = ReadResults(resultsPath);
        return input with
        {
            Dataset = DatasetIdentity.Of(r.Config),
            Labels = Labels(r),
            Verdicts = VerdictsOf(r),
            History = history ?? r.History,
            Notes = history is null ? ["no metrics.csv: curves from results.json's history"] : [],
        };
    }

    private static TrainConfig? ReadConfig(string path)
    {
        try { return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), RunJson.Options); }
        catch (JsonException e) { throw new UserInputException($"{path}: not a training run's configuration ({SweepFolder.OneLine(e.Message)}); {InputFolderKind.Expected}.", e); }
    }

    private static TrainResults ReadResults(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainResults>(File.ReadAllText(path), RunJson.Options) is { Config: not null, Probes: not null } r ? r
                : throw new UserInputException($"{path}: no run configuration or probes; {InputFolderKind.Expected}.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a training run's results ({SweepFolder.OneLine(e.Message)}); {InputFolderKind.Expected}.", e);
        }
    }

    // Per label: the final offline probe, kNN on the class, random init as the reference (chance when not recorded), and
    // the label's suppression verdict.
    private static List<LabelReadout> Labels(TrainResults r) => r.Probes.Select(p =>
    {
        var verdict = r.Suppression?.FirstOrDefault(s => s.Attribute == p.Label);
        double? knn = p.Label == ProbeSuite.KnnLabel && double.IsFinite(r.KnnClassAccuracy) ? r.KnnClassAccuracy : null;
        var reference = p.RandomInit is not null ? ReferenceKind.RandomInit : ReferenceKind.Chance;
        return new LabelReadout(p.Label, p.Classes, p.TestAccuracy, knn, p.RandomInit ?? p.Chance, reference.Describe(),
            verdict?.Text ?? "not judged", verdict is null ? "" : "Suppression: " + verdict.Sentence);
    }).ToList();

    private static InputVerdicts VerdictsOf(TrainResults r)
    {
        var sentences = new List<string>();
        if (r.SubclassCollapse is { } c) sentences.Add(c.Sentence);
        sentences.AddRange((r.Suppression ?? []).Select(s => "Suppression: " + s.Sentence));
        sentences.Add(RunReport.FinalLine(r));
        return new InputVerdicts(r.Learnt?.Text, r.FinalHealth, r.SubclassCollapse, r.SubclassCollapse?.Text ?? "not judged",
            SuppressionSummary.Judge(r.Suppression ?? []), sentences);
    }
}
