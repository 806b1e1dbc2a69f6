namespace WhichFeatures.Sweeps;

/// <summary>The defaults <c>reproduce</c> chooses when an option is not given.</summary>
public static class ReproduceDefaults
{
    /// <summary>Seeds per claim: 3, and 2 for the real suite's <c>--quick</c>, which is a smoke run whose verdicts are not evidence.</summary>
    public static int Seeds(SuiteKind suite, bool quick) => suite == SuiteKind.Real && quick ? 2 : 3;

    /// <summary>
    /// Torch CPU threads of each unit: as given, except that 0 (libtorch's default, every core) becomes 1 when
    /// <paramref name="jobs"/> &gt; 1, since units side by side share the cores.
    /// </summary>
    public static int Threads(int threads, int jobs) => jobs > 1 && threads == 0 ? 1 : threads;
}
