using System.Globalization;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Experiments.Theory;

namespace WhichFeatures.Sweeps;

/// <summary>
/// The wall time and memory each unit of a planned sweep asks the scheduler for (<c>--time</c>, <c>--mem</c>), and
/// why. The defaults are a unit's known cost (<see cref="MeasuredUnitCosts"/>) times a margin; what the user gives wins.
/// </summary>
/// <param name="Time">Wall-time limit per unit, Slurm format ([D-]HH:MM:SS).</param>
/// <param name="Memory">Memory per unit, Slurm format (whole GB, e.g. "2G").</param>
/// <param name="Basis">Why these values: printed with the plan.</param>
public sealed record UnitResources(string Time, string Memory, string Basis)
{
    /// <summary>
    /// Time margin over the longest known unit: covers a slower or busier node (on this repository's 2-core machine
    /// the same units ran 1.4x apart between two runs, and a CC-3 seed 5x slower beside other jobs; docs/cluster.md)
    /// and a first read of the data from a shared file system.
    /// </summary>
    public const double TimeMargin = 3;
    /// <summary>Shortest default time: scheduling, start-up and a requeue's restart all fit.</summary>
    public static readonly TimeSpan MinimumTime = TimeSpan.FromMinutes(10);
    /// <summary>Memory margin over the largest known peak (a node's allocator and page cache are not this machine's).</summary>
    public const double MemoryMargin = 1.5;
    /// <summary>Smallest default memory, in GB: .NET and libtorch alone take a few hundred MB.</summary>
    public const int MinimumMemoryGigabytes = 2;

    /// <summary>The defaults for a sweep of <paramref name="suite"/> with these options.</summary>
    public static UnitResources For(SuiteKind suite, TheoryRunOptions? theory, RealRunOptions? real) =>
        From(MeasuredUnitCosts.For(suite, theory, real));

    /// <summary>The margin applied to <paramref name="cost"/>: time rounded up to whole minutes, memory to whole GB.</summary>
    public static UnitResources From(KnownUnitCost cost)
    {
        var time = TimeSpan.FromMinutes(Math.Ceiling(cost.LongestUnitSeconds * TimeMargin / 60));
        if (time < MinimumTime) time = MinimumTime;
        int gigabytes = Math.Max(MinimumMemoryGigabytes, (int)Math.Ceiling(cost.PeakRssMegabytes * MemoryMargin / 1024));
        var margin = string.Create(CultureInfo.InvariantCulture,
            $"x{TimeMargin} time, at least {MinimumTime.TotalMinutes} min; x{MemoryMargin} memory, at least {MinimumMemoryGigabytes} GB");
        return new UnitResources(SlurmTime(time), $"{gigabytes}G", $"{cost.Source}; {margin}");
    }

    /// <summary>These defaults with what the user gave (null = not given) in their place.</summary>
    public UnitResources WithGiven(string? time, string? memory) => (time, memory) switch
    {
        (null, null) => this,
        ({ } t, { } m) => new UnitResources(t, m, "as given"),
        ({ } t, null) => new UnitResources(t, Memory, $"--time as given; --mem from {Basis}"),
        (null, { } m) => new UnitResources(Time, m, $"--mem as given; --time from {Basis}"),
    };

    /// <summary>The line the plan prints.</summary>
    public string Describe() =>
        $"Per unit: --time {Time} --mem {Memory} ({Basis}{(Basis == "as given" ? "" : "; override with --time / --mem")}).";

    /// <summary><paramref name="t"/> as a Slurm time: HH:MM:SS, or D-HH:MM:SS from one day on.</summary>
    public static string SlurmTime(TimeSpan t) =>
        t.Days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{t.Days}-{t.Hours:D2}:{t.Minutes:D2}:{t.Seconds:D2}")
                   : string.Create(CultureInfo.InvariantCulture, $"{t.Hours:D2}:{t.Minutes:D2}:{t.Seconds:D2}");
}
