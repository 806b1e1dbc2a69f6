using System.Text.Json.Nodes;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// One measured piece of work, with the same work described for the PyTorch side (bench/reference/torch_bench.py).
/// The bench calls <see cref="Step"/> repeatedly for a time budget; each call returns the amount of work it did in
/// <see cref="Unit"/> (images, calls, ...), so a rate is work / seconds.
/// </summary>
public interface IWorkload : IDisposable
{
    /// <summary>Short id used on the command line and in results, e.g. <c>w1</c>, <c>w5-scl</c>.</summary>
    string Id { get; }
    /// <summary>What is measured, for the table.</summary>
    string Label { get; }
    /// <summary>Unit of the work a step returns (<c>img</c>, <c>call</c>, <c>epoch</c>).</summary>
    string Unit { get; }
    /// <summary>Untimed calls before measuring (JIT, allocator, oneDNN primitive caches).</summary>
    int Warmup { get; }
    /// <summary>The PyTorch side's <c>setup</c> command (workload name + parameters), or null when there is none.</summary>
    JsonObject? TorchSetup { get; }
    /// <summary>Does one unit of work and returns its size in <see cref="Unit"/>.</summary>
    double Step();
}
