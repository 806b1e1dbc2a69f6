using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Bench;

/// <summary>Profiling aid for workload 6: the float64 BLAS/LAPACK calls the theory solvers are made of, one by one.</summary>
public static class LinalgProfile
{
    /// <summary>Prints ms per call of each operation (same shapes as torch_bench.py's <c>linalg</c> mode).</summary>
    /// <param name="seconds">Time per operation.</param>
    /// <param name="log">Where to print.</param>
    public static void Run(double seconds, TextWriter log)
    {
        var g = new Generator(5);
        using var x = randn(new long[] { 1000, 4096 }, dtype: ScalarType.Float64, generator: g);   // [n, d]
        using var k = x.matmul(x.t());                                                            // [n, n]
        using var rows = randn(new long[] { 200, 2000 }, dtype: ScalarType.Float64, generator: g); // [2n, d] (w6-gd)
        using var w = randn(new long[] { 32, 2000 }, dtype: ScalarType.Float64, generator: g);     // [p, d]
        using var a = rand(new long[] { 200, 200 }, dtype: ScalarType.Float64, generator: g);      // [2n, 2n]
        using var keys = arange(1000, dtype: ScalarType.Int64).remainder(10);                       // [n] 10 classes
        using var target = WhichFeatures.Losses.SpectralContrastiveLoss.PositiveWeightsFromKeys(keys) * 1e6;  // [n, n] M²A
        var ops = new (string, Action)[]
        {
            ("eigh target M2A (SCL)", () => linalg.eigh(target)),
            ("X Xt 1000x4096x1000", () => x.matmul(x.t())),
            ("eigh 1000", () => linalg.eigh(k)),
            ("gd: X Wt 200x2000x32", () => rows.matmul(w.t())),
            ("gd: dZt X 32x200x2000", () => w.narrow(1, 0, 200).matmul(rows)),
            ("gd: one full step", () =>
            {
                var z = rows.matmul(w.t());                                                       // [2n, p]
                var gram = z.matmul(z.t());                                                       // [2n, 2n]
                var dz = -4 * a.matmul(z) + (4.0 / (200.0 * 200.0)) * gram.matmul(z);             // [2n, p]
                dz.t().matmul(rows);                                                              // [p, d]
            }),
        };
        foreach (var (name, op) in ops)
        {
            using (NewDisposeScope()) op();
            var sw = Stopwatch.StartNew();
            int calls = 0;
            while (sw.Elapsed.TotalSeconds < seconds) { using (NewDisposeScope()) op(); calls++; }
            log.WriteLine($"  {name,-26} {1000 * sw.Elapsed.TotalSeconds / calls,9:F3} ms/call ({calls} calls)");
        }
    }
}
