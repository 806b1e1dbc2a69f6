using System.Text.Json;
using System.Text.Json.Serialization;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// A <see cref="SweepUnit"/> as one line of manifest.jsonl: its <see cref="UnitWork"/> spread into the fields
/// <c>seed</c> and <c>theory</c>, or <c>real</c>, as sweeps have always been written (Fixtures/manifests in the tests
/// holds older manifests that must still load). <see cref="SweepFolder.Load"/> checks which fields a line has.
/// </summary>
/// <param name="Index">See <see cref="SweepUnit.Index"/>.</param>
/// <param name="Id">See <see cref="SweepUnit.Id"/>.</param>
/// <param name="Experiment">See <see cref="SweepUnit.Experiment"/>.</param>
/// <param name="Dir">See <see cref="SweepUnit.Dir"/>.</param>
/// <param name="Device">See <see cref="SweepUnit.Device"/>.</param>
/// <param name="Seed">Theory units: the seed.</param>
/// <param name="Theory">Theory units: the suite's options.</param>
/// <param name="Real">Real units: the training run.</param>
public sealed record ManifestLine(int Index, string Id, string Experiment, string Dir, string Device,
    long? Seed = null, TheoryRunOptions? Theory = null, RealRunSpec? Real = null)
{
    /// <summary>The line of <paramref name="unit"/>.</summary>
    public static ManifestLine From(SweepUnit unit) => unit.Work switch
    {
        TheoryUnitWork t => new(unit.Index, unit.Id, unit.Experiment, unit.Dir, unit.Device, Seed: t.Seed, Theory: t.Options),
        RealUnitWork r => new(unit.Index, unit.Id, unit.Experiment, unit.Dir, unit.Device, Real: r.Run),
        _ => throw new InvalidOperationException($"unit {unit.Id}: unknown work {unit.Work.GetType().Name}"),
    };

    /// <summary>The work this line describes, or null when it has neither exactly a seed and theory options nor exactly a training run.</summary>
    [JsonIgnore]   // derived from the fields above; not a field of the line
    public UnitWork? Work => (Seed, Theory, Real) switch
    {
        ({ } seed, { } theory, null) => new TheoryUnitWork(seed, theory),
        (_, null, { } real) => new RealUnitWork(real),   // a stray seed beside a training run was always ignored
        _ => null,
    };

    /// <summary>The unit; a line without valid work is a <see cref="JsonException"/>.</summary>
    public SweepUnit ToUnit() =>
        new(Index, Id, Experiment, Dir, Device, Work ?? throw new JsonException($"unit {Index}: expected \"seed\" and \"theory\", or \"real\""));
}
