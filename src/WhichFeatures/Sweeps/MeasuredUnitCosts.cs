using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// The most expensive unit of each suite and scale, as measured in docs/cluster.md ("Measured: what one unit
/// costs"): every unit in its own <c>sweep run --index</c> process, one at a time, as a Slurm array task runs it, on
/// this repository's 2-core machine. <see cref="UnitResources"/> turns them into the <c>--time</c> / <c>--mem</c> defaults.
/// </summary>
public static class MeasuredUnitCosts
{
    /// <summary>Theory suite at default sizes, all 16 units: the longest an FS-AUG seed (67.5 s), the largest an FS-EMB seed (285 MB).</summary>
    public static readonly KnownUnitCost Theory = new(67.5, 285, "theory suite: longest measured unit 68 s, peak 0.28 GB");

    /// <summary>Theory suite with --quick, all 16 units: the longest a CC-3 seed (31.5 s, on a busy machine), the largest an FS-EMB seed (283 MB).</summary>
    public static readonly KnownUnitCost TheoryQuick = new(31.5, 283, "theory suite, --quick: longest measured unit 32 s, peak 0.28 GB");

    /// <summary>
    /// Real suite at the cpu scale, 8 of its 66 units (one or two configurations of each experiment, among them the
    /// largest embedding and the no-bits reference of both RandBit experiments): the longest a CIFAR-10 RandBit run at
    /// p = 128 (130.4 s), the largest an MNIST RandBit reference run (1,405 MB).
    /// </summary>
    public static readonly KnownUnitCost RealCpu = new(130.4, 1405, "real suite, cpu scale: longest measured unit 130 s, peak 1.4 GB");

    /// <summary>
    /// Real suite at the cpu scale with --quick, its 17 seed-0 units (seed 1 repeats each configuration): the longest
    /// an MNIST RandBit run at p = 128 (109.0 s), the largest a digits-on-backgrounds run (1,146 MB).
    /// </summary>
    public static readonly KnownUnitCost RealCpuQuick = new(109.0, 1146, "real suite, cpu scale, --quick: longest measured unit 109 s, peak 1.1 GB");

    /// <summary>
    /// Real suite at the paper scale: not measured (it needs a GPU, and this machine has none). The upper ends of the
    /// estimate in docs/cluster.md ("What --scale paper costs"): 4 GPU-hours for a 200-epoch CIFAR unit, 16 GB of host memory.
    /// </summary>
    public static readonly KnownUnitCost RealPaper = new(4 * 3600, 16 * 1024, "real suite, paper scale: estimated, not measured (no GPU here), 4 GPU-hours and 16 GB a unit");

    /// <summary>
    /// Real suite at the paper scale with --quick: a tenth of the epochs on at most 10,000 of the 50,000 training
    /// images (Experiments/Real/RealScale.cs), so a fiftieth of <see cref="RealPaper"/>'s time, and its memory.
    /// </summary>
    public static readonly KnownUnitCost RealPaperQuick = new(4 * 3600 / 50.0, 16 * 1024, "real suite, paper scale, --quick: estimated, not measured (no GPU here), a fiftieth of 4 GPU-hours and 16 GB a unit");

    /// <summary>The known cost of a unit of <paramref name="suite"/> with these options; the real suite's time grows with --epoch-scale.</summary>
    public static KnownUnitCost For(SuiteKind suite, TheoryRunOptions? theory, RealRunOptions? real)
    {
        if (suite == SuiteKind.Theory) return theory?.Quick == true ? TheoryQuick : Theory;
        var o = real ?? new RealRunOptions();
        var cost = (o.Scale, o.Quick) switch
        {
            (ScaleKind.Paper, false) => RealPaper,
            (ScaleKind.Paper, true) => RealPaperQuick,
            (_, false) => RealCpu,
            (_, true) => RealCpuQuick,
        };
        return o.EpochScale == 1 ? cost
            : cost with { LongestUnitSeconds = cost.LongestUnitSeconds * o.EpochScale, Source = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{cost.Source}, x{o.EpochScale:0.###} for --epoch-scale") };
    }
}
