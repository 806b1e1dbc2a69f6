using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>The roofline's peak: float32 matmul [n, n] x [n, n], 2n³ FLOP per call.</summary>
public sealed class SgemmWorkload : IWorkload
{
    private readonly Tensor _a, _b;

    /// <summary>Random square matrices.</summary>
    /// <param name="n">Matrix side.</param>
    public SgemmWorkload(int n)
    {
        N = n;
        _a = rand(n, n, generator: new Generator(1));                                            // [n, n]
        _b = rand(n, n, generator: new Generator(2));                                            // [n, n]
    }

    /// <summary>Matrix side.</summary>
    public int N { get; }
    /// <summary>FLOP per call.</summary>
    public double FlopPerCall => 2.0 * N * N * (double)N;
    /// <inheritdoc />
    public string Id => "sgemm";
    /// <inheritdoc />
    public string Label => $"sgemm {N}x{N}x{N} (roofline peak)";
    /// <inheritdoc />
    public string Unit => "call";
    /// <inheritdoc />
    public int Warmup => 2;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "sgemm", ["n"] = N };

    /// <inheritdoc />
    public double Step()
    {
        using var _ = no_grad();
        using var c = _a.mm(_b);                                                                  // [n, n]
        return 1;
    }

    /// <inheritdoc />
    public void Dispose() { _a.Dispose(); _b.Dispose(); }
}
