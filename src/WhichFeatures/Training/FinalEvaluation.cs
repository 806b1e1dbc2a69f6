using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// After training: the <see cref="ProbeSuite"/> (an offline linear probe per label and kNN on the class label) on
/// the frozen representation (encoder output, before the projection head) at the LAST epoch, trained on the
/// training split and scored on the test split; the run's files are written by <see cref="TrainingRunReport"/>.
/// </summary>
public static class FinalEvaluation
{
    /// <summary>Runs the final evaluation of a finished run and writes its files.</summary>
    public static TrainResults Write(string runDir, TrainConfig cfg, TrainOutcome outcome, ImageDataset train, ImageDataset test, double wallSeconds)
    {
        using var scope = NewDisposeScope();
        var suite = new ProbeSuite();
        var result = suite.Run(FeatureExtractor.Extract(outcome.Model, outcome.Input, train, outcome.Device),
                               FeatureExtractor.Extract(outcome.Model, outcome.Input, test, outcome.Device));
        var last = outcome.History.LastOrDefault();
        var results = new TrainResults(cfg, outcome.History.Count, $"encoder output (representation, {outcome.Model.RepresentationSize} dims, before the projection head)",
            suite.Probe.Protocol, suite.Knn!.Protocol, result.Probes, result.KnnClassAccuracy, last?.OnlineTestAccuracy ?? [], wallSeconds,
            outcome.History.Count == 0 ? 0 : outcome.History.Average(h => h.ImagesPerSecond), ProcessMemory.PeakRssMegabytes(), outcome.History);
        TrainingRunReport.Write(runDir, results);
        return results;
    }
}
