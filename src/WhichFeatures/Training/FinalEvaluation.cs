using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// After training: the <see cref="ProbeSuite"/> (an offline linear probe per label and kNN on the class label) on
/// the frozen representation (encoder output, before the projection head) at the LAST epoch, trained on the
/// training split and scored on the test split; its plots, report.md / report.html and results.json by <see cref="RunReport"/>.
/// </summary>
public static class FinalEvaluation
{
    /// <summary>Runs the final evaluation of a finished run and writes its files.</summary>
    public static TrainResults Write(string runDir, TrainConfig cfg, TrainOutcome outcome, ImageDataset train, ImageDataset test, double wallSeconds)
    {
        using var scope = NewDisposeScope();
        var suite = new ProbeSuite();
        var trainF = FeatureExtractor.Extract(outcome.Model, outcome.Input, train, outcome.Device);
        var testF = FeatureExtractor.Extract(outcome.Model, outcome.Input, test, outcome.Device);
        var result = suite.Run(trainF, testF);
        var scores = RunBaselines.WithChanceAndMajority(result.Probes, train, test);
        var verdicts = RunBaselines.Compute(cfg, train, test, trainF, testF, scores, suite.Probe, outcome.Device, result.KnnClassAccuracy);
        scores = scores.Select(s => s with { RandomInit = verdicts.RandomInitProbes.FirstOrDefault(r => r.Label == s.Label)?.TestAccuracy }).ToList();
        var last = outcome.History.LastOrDefault();
        var results = new TrainResults(cfg, outcome.History.Count, $"encoder output (representation, {outcome.Model.RepresentationSize} dims, before the projection head)",
            suite.Probe.Protocol, suite.Knn!.Protocol, scores, result.KnnClassAccuracy, last?.OnlineTestAccuracy ?? [], wallSeconds,
            outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond), ProcessMemory.PeakRssMegabytes(), outcome.History)
        {
            SubclassCollapse = verdicts.Collapse, Suppression = verdicts.Suppression, Learnt = verdicts.Learnt, FinalHealth = last?.Health ?? TrainingHealth.Ok,
            Convolutions = outcome.Device.type == TorchSharp.DeviceType.CPU ? ConvolutionPathCheck.Choose(outcome.Model.Config, train.Height).Summary() : null,
            Map = RunMap.Write(runDir, testF.Features, test, cfg.Seed),
        };
        WriteFiles(runDir, results);
        return results;
    }

    /// <summary>Writes the probe-curve and loss plots, then results.json and report.md / report.html (with every probe-*.json so far).</summary>
    public static void WriteFiles(string runDir, TrainResults r)
    {
        RunReport.WritePlots(runDir, r);
        RunReport.Write(runDir, RunProber.WithLaterProbes(runDir, r));
    }
}
