using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workload 6a: <see cref="SpectralMinimizer.MinNorm"/> for spectral SCL on X [n, d] float64 with 10 balanced
/// classes and p = 32 (eigh of the target, pseudo-inverse of X Xᵀ by eigh, W* = Z*ᵀ (X Xᵀ)⁺ X).
/// </summary>
public sealed class MinNormWorkload : IWorkload
{
    private readonly Tensor _x, _a;
    private readonly int _p;

    /// <summary>Random rows and SCL weights.</summary>
    /// <param name="n">Rows.</param>
    /// <param name="d">Input dimension.</param>
    /// <param name="p">Embedding size.</param>
    public MinNormWorkload(int n, int d, int p)
    {
        N = n; D = d; _p = p;
        _x = randn(new long[] { n, d }, dtype: ScalarType.Float64, generator: new Generator(5));                 // [n, d]
        using var keys = arange(n, dtype: ScalarType.Int64).remainder(10);                                        // [n]
        _a = SpectralContrastiveLoss.PositiveWeightsFromKeys(keys);                                               // [n, n]
    }

    /// <summary>Rows n.</summary>
    public int N { get; }
    /// <summary>Input dimension d.</summary>
    public int D { get; }
    /// <inheritdoc />
    public string Id => "w6-minnorm";
    /// <inheritdoc />
    public string Label => $"min-norm solve, n {N}, d {D}, p {_p} (float64)";
    /// <inheritdoc />
    public string Unit => "call";
    /// <inheritdoc />
    public int Warmup => 1;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "minnorm", ["n"] = N, ["d"] = D, ["p"] = _p };

    /// <inheritdoc />
    public double Step()
    {
        using (NewDisposeScope()) SpectralMinimizer.MinNorm(_x, _a, _p);
        GC.Collect();
        return 1;
    }

    /// <inheritdoc />
    public void Dispose() { _x.Dispose(); _a.Dispose(); }
}
