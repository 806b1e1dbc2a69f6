using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// A checked <c>reproduce</c> request: its defaults chosen, its suite options built, ready to be planned as a sweep.
/// Every option is checked here, before any folder is made, so a refused command leaves nothing behind.
/// </summary>
public sealed class Reproduction
{
    private readonly ReproduceOptions _given;

    private Reproduction(ReproduceOptions given, int jobs, int threads, TheoryRunOptions? theory, RealRunOptions? real, IReadOnlyList<IRealExperiment> realExperiments)
    {
        (_given, Jobs, Threads, Theory, Real, RealExperiments) = (given, jobs, threads, theory, real, realExperiments);
    }

    /// <summary>Units run at once.</summary>
    public int Jobs { get; }
    /// <summary>Torch CPU threads per unit after <see cref="ReproduceDefaults.Threads"/> (0 = libtorch's default).</summary>
    public int Threads { get; }
    /// <summary>The theory suite's options (theory suite only).</summary>
    public TheoryRunOptions? Theory { get; }
    /// <summary>The real suite's options (real suite only).</summary>
    public RealRunOptions? Real { get; }
    /// <summary>The real suite's selected experiments (empty for the theory suite).</summary>
    public IReadOnlyList<IRealExperiment> RealExperiments { get; }

    /// <summary>The suite.</summary>
    public SuiteKind Suite => _given.Suite;

    /// <summary>The measured per-unit resources of this suite and size (the <c>--time</c> / <c>--mem</c> defaults).</summary>
    public UnitResources Resources => UnitResources.For(Suite, Theory, Real);

    /// <summary>
    /// Chooses the defaults, checks every option (a <see cref="UserInputException"/> names the first wrong one) and
    /// sets this process's torch threads.
    /// </summary>
    public static Reproduction Prepare(ReproduceOptions o)
    {
        int seeds = o.Seeds ?? ReproduceDefaults.Seeds(o.Suite, o.Quick);
        if (seeds < 1) throw new UserInputException($"--seeds {seeds}: expected at least 1.");
        if (o.Jobs < 1) throw new UserInputException($"--jobs {o.Jobs}: expected at least 1.");
        int threads = ReproduceDefaults.Threads(o.Threads, o.Jobs);
        if (threads < 0) throw new UserInputException($"--threads {threads}: expected 0 (default) or a positive count.");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        if (o.Suite != SuiteKind.Real)
            return new(o, o.Jobs, threads, TheoryOptions(seeds, o.Quick, o.BaseSeed), null, []);
        var real = RealOptions(o, seeds, threads);
        return new(o, o.Jobs, threads, null, real, SelectRealExperiments(o.Only));
    }

    /// <summary>The sweep of this suite: its plan and units, with <paramref name="cluster"/> for the scripts.</summary>
    public (SweepPlan Plan, IReadOnlyList<SweepUnit> Units) Plan(ClusterOptions cluster) =>
        Real is not null
            ? SweepPlan.ForReal(Real, RealExperiments, cluster)
            : SweepPlan.ForTheory(Theory!, SelectTheoryExperiments(_given.Only), cluster);

    /// <summary>The theory suite's experiments, or those named in <paramref name="only"/> (unknown names are a user error).</summary>
    public static IReadOnlyList<ITheoryExperiment> SelectTheoryExperiments(string? only) =>
        string.IsNullOrWhiteSpace(only) ? TheorySuite.All : Names(only).Select(TheorySuite.Get).ToList();

    /// <summary>The real suite's experiments, or those named in <paramref name="only"/>.</summary>
    public static IReadOnlyList<IRealExperiment> SelectRealExperiments(string? only) =>
        string.IsNullOrWhiteSpace(only) ? RealSuite.All : Names(only).Select(RealSuite.Get).ToList();

    private static string[] Names(string only) => only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static TheoryRunOptions TheoryOptions(int seeds, bool quick, int? baseSeed)
    {
        var options = new TheoryRunOptions { Seeds = seeds, Quick = quick };
        return baseSeed is int b ? options with { BaseSeed = b } : options;
    }

    private static RealRunOptions RealOptions(ReproduceOptions o, int seeds, int threads) => new RealRunOptions
    {
        DataDir = o.DataDir ?? throw new UserInputException("--suite real needs --data-dir DIR (the folder holding cifar-10-batches-bin/ and mnist/)."),
        Seeds = seeds, BaseSeed = o.BaseSeed ?? new RealRunOptions().BaseSeed, Quick = o.Quick, Scale = o.Scale, Threads = threads,
        EpochScale = o.EpochScale, RandBits = o.RandBits, Device = o.Device, Dataset = o.Dataset, SuperclassMap = o.SuperclassMap, Validation = o.Validation,
    }.Validate();
}
