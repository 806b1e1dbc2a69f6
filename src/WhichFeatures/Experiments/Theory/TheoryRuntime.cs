using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>Shared plumbing of the theory experiments.</summary>
internal static class TheoryRuntime
{
    /// <summary>
    /// Runs <paramref name="body"/> with libtorch on one thread: the linear models are tiny, and on a shared 2-core
    /// machine two OpenMP threads made each step 10-25x slower (measured). The previous setting is restored.
    /// </summary>
    public static T SingleThreaded<T>(Func<T> body)
    {
        int before = torch.get_num_threads();
        torch.set_num_threads(1);
        try { return body(); }
        finally { torch.set_num_threads(before); }
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
