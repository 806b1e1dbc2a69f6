using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// One real-data finding of the paper (docs/paper.md §5) as an experiment, split into the training runs it needs
/// (<see cref="Runs"/>) and the summary that decides its claim from their results (<see cref="Summarise"/>), with
/// a criterion fixed before running. It never writes files; RealSuite.Run trains the runs here, a
/// sweep trains them anywhere.
/// </summary>
public interface IRealExperiment
{
    /// <summary>CLI name, e.g. "fs-embedding-randbit".</summary>
    string Name { get; }
    /// <summary>One line: what the experiment shows.</summary>
    string Description { get; }
    /// <summary>Claim ids this experiment decides, e.g. ["REAL-FS"].</summary>
    IReadOnlyList<string> ClaimIds { get; }

    /// <summary>Checks the options (throws <see cref="UserInputException"/>) and lists every training run, in summary order.</summary>
    IReadOnlyList<RealRunSpec> Runs(RealRunOptions options, RealSchedule schedule);

    /// <summary>Decides the claim and builds tables and plots from the runs' results, given in <see cref="Runs"/> order.</summary>
    ExperimentResult Summarise(RealRunOptions options, RealSchedule schedule, IReadOnlyList<RealRunSummary> runs);
}
