using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>Shared plumbing of the theory experiments.</summary>
internal static class TheoryRuntime
{
    private static readonly object ThreadGate = new();
    private static int _singleThreadedDepth;
    private static int _threadsBefore;

    /// <summary>
    /// Runs <paramref name="body"/> with libtorch on one thread: the linear models are tiny, and on a shared 2-core
    /// machine two OpenMP threads made each step 10-25x slower (measured). The previous setting is restored when the
    /// last concurrent caller (sweep units run by several workers of one process) leaves, never while one still runs.
    /// </summary>
    public static T SingleThreaded<T>(Func<T> body)
    {
        lock (ThreadGate)
        {
            if (_singleThreadedDepth++ == 0) _threadsBefore = torch.get_num_threads();
            torch.set_num_threads(1);
        }
        try { return body(); }
        finally
        {
            lock (ThreadGate)
                if (--_singleThreadedDepth == 0) torch.set_num_threads(_threadsBefore);
        }
    }

    /// <summary>A claim's value row: <paramref name="name"/> and the per-seed values summarised.</summary>
    public static KeyValuePair<string, Stat> ValueRow(string name, IEnumerable<double> values) => new(name, Stat.Of(values));

    /// <summary>A number for notes: 4 significant digits, invariant culture.</summary>
    public static string Describe(double x) => x.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A Stat for notes: "mean (min a, max b)".</summary>
    public static string Describe(Stat s) => $"{Describe(s.Mean)} (min {Describe(s.Min)}, max {Describe(s.Max)})";

    /// <summary>Fails when the claim needs d &gt; n.</summary>
    public static void RequireOverparameterised(int n, int d, string claim)
    {
        if (n >= d) throw new UserInputException($"--n ({n}) must be smaller than --d ({d}): {claim} needs d > n (an over-parameterised linear model that can interpolate).");
    }
}
