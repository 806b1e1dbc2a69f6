using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// One independent piece of a sweep (one line of manifest.jsonl): a theory seed or one training run, with its full
/// configuration and the sub-folder it writes into. Exactly one of <see cref="Theory"/> and <see cref="Real"/> is set.
/// </summary>
/// <param name="Index">Position in the manifest (the Slurm array index / Kubernetes completion index).</param>
/// <param name="Id">Readable name, e.g. "cc-dynamics/seed-2".</param>
/// <param name="Experiment">The experiment whose claims use this unit.</param>
/// <param name="Dir">Output sub-folder, relative to the sweep folder (under units/).</param>
/// <param name="Device">Torch device the unit runs on (auto, cpu or cuda; theory units always run on the CPU).</param>
/// <param name="Seed">Theory units: the seed.</param>
/// <param name="Theory">Theory units: the suite's options.</param>
/// <param name="Real">Real units: the training run.</param>
public sealed record SweepUnit(int Index, string Id, string Experiment, string Dir, string Device,
    long? Seed = null, TheoryRunOptions? Theory = null, RealRunSpec? Real = null)
{
    /// <summary>The unit's folder inside <paramref name="sweepDir"/>.</summary>
    public string FolderIn(string sweepDir) => Path.Combine(sweepDir, Dir);
}
