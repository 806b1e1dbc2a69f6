using WhichFeatures.Training;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// One training run an experiment needs: the exact configuration and which labels to probe afterwards. Runs are
/// independent of each other, so a sweep can train them anywhere and in any order.
/// </summary>
/// <param name="Experiment">The experiment that asks for it, e.g. "cc-over-training".</param>
/// <param name="Tag">Short name of the configuration, e.g. "ucl-p64-k10" (with the seed it names the run).</param>
/// <param name="Config">The training configuration (seed included).</param>
/// <param name="ProbeLabels">Labels the offline linear probe is fitted for at the last epoch.</param>
/// <param name="ProbeIterations">L-BFGS iterations of that probe.</param>
public sealed record RealRunSpec(string Experiment, string Tag, TrainConfig Config, IReadOnlyList<string> ProbeLabels, int ProbeIterations)
{
    /// <summary>Folder name of the run: "tag-seedN".</summary>
    public string FolderName => $"{Tag}-seed{Config.Seed}";
}
