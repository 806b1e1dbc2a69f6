using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workload 5: UCL, SCL or joint InfoNCE forward + backward on stacked embeddings [rows, q] (two views of rows/2
/// examples, 10 classes). Rate = calls per second.
/// </summary>
public sealed class LossWorkload : IWorkload
{
    private readonly ContrastiveLossKind _kind;
    private readonly Tensor _z, _labels;
    private readonly long _n;
    private long _calls;

    /// <summary>Random embeddings and labels.</summary>
    /// <param name="kind">UCL, SCL or joint.</param>
    /// <param name="rows">Stacked rows M (two views of M/2 examples).</param>
    /// <param name="q">Embedding size.</param>
    public LossWorkload(ContrastiveLossKind kind, int rows, int q)
    {
        _kind = kind;
        _n = rows / 2;
        Rows = rows; Q = q;
        var g = new Generator(3);
        _z = randn(new long[] { 2 * _n, q }, generator: g).requires_grad_(true);                 // [M, q]
        _labels = randint(0, 10, new long[] { _n }, dtype: ScalarType.Int64, generator: g);      // [M/2]
    }

    /// <summary>Stacked rows M.</summary>
    public int Rows { get; }
    /// <summary>Embedding size q.</summary>
    public int Q { get; }
    /// <inheritdoc />
    public string Id => "w5-" + _kind.ToString().ToLowerInvariant();
    /// <inheritdoc />
    public string Label => $"{_kind.ToString().ToUpperInvariant()} loss fwd+bwd, {Rows} x {Q}";
    /// <inheritdoc />
    public string Unit => "call";
    /// <inheritdoc />
    public int Warmup => 5;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "loss", ["kind"] = _kind.ToString().ToLowerInvariant(), ["n"] = _n, ["q"] = Q };

    /// <inheritdoc />
    public double Step()
    {
        using (NewDisposeScope())
        {
            var v1 = _z.narrow(0, 0, _n);                                                         // [N, q]
            var v2 = _z.narrow(0, _n, _n);                                                        // [N, q]
            var loss = InfoNceLoss.Compute(_kind, v1, v2, _labels, 0.5, 0.5);                     // []
            _z.grad?.Dispose();
            _z.grad = null;
            loss.backward();
        }
        if (++_calls % 200 == 0) GC.Collect();
        return 1;
    }

    /// <inheritdoc />
    public void Dispose() { _z.Dispose(); _labels.Dispose(); }
}
