using System.Text.Json.Serialization;

namespace WhichFeatures.Sweeps;

/// <summary>
/// One independent piece of a sweep (one line of manifest.jsonl, written as its <see cref="ManifestLine"/>): a theory
/// seed or one training run (<see cref="Work"/>), and the sub-folder it writes into.
/// </summary>
/// <param name="Index">Position in the manifest (the Slurm array index / Kubernetes completion index).</param>
/// <param name="Id">Readable name, e.g. "cc-dynamics/seed-2".</param>
/// <param name="Experiment">The experiment whose claims use this unit.</param>
/// <param name="Dir">Output sub-folder, relative to the sweep folder (under units/).</param>
/// <param name="Device">Torch device the unit runs on, the text of a <see cref="Core.DeviceChoice"/> (auto, cpu, cuda or cuda:N; theory units always run on the CPU).</param>
/// <param name="Work">What it runs: a <see cref="TheoryUnitWork"/> or a <see cref="RealUnitWork"/>.</param>
[JsonConverter(typeof(SweepUnitJsonConverter))]
public sealed record SweepUnit(int Index, string Id, string Experiment, string Dir, string Device, UnitWork Work)
{
    /// <summary>The unit's folder inside <paramref name="sweepDir"/>.</summary>
    public string FolderIn(string sweepDir) => Path.Combine(sweepDir, Dir);
}
