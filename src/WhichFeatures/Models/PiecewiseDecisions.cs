using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// The ReLU and max-pool of every model here, with one switch for the float64 checks. Both are piecewise: ReLU is not
/// differentiable at 0, max-pool not where two inputs of a window tie. An input within round-off of such a point can
/// go either way in a correct float32 computation, and at small batches one such unit moves the whole gradient by
/// 1e-3 to 1e-2 (docs/robustness.md). To compare a float32 step with the float64 truth, record every decision of the
/// float32 step (<see cref="Record"/>: which ReLU inputs were positive, which input won each max-pool window) and replay
/// them in the float64 step (<see cref="Replay"/>): both then differentiate the same piece of the same function, and
/// what remains is round-off, or a kernel fault. Outside those two calls these are plain <c>relu</c> and <c>max_pool2d</c>.
/// </summary>
public static class PiecewiseDecisions
{
    [ThreadStatic] private static List<Tensor>? recording;
    [ThreadStatic] private static IReadOnlyList<Tensor>? replaying;
    [ThreadStatic] private static int next;

    /// <summary>max(x, 0); while recording, also keeps x &gt; 0; while replaying, x times the recorded decision instead.</summary>
    public static Tensor Relu(Tensor x)
    {
        if (replaying is not null) return x * Take(x.shape, ScalarType.Bool).to(x.dtype);
        recording?.Add(x.detach().gt(0).DetachFromDisposeScope());
        return nn.functional.relu(x);
    }

    /// <summary>
    /// 2x2 max-pool with stride 2, [B, C, H, W] -> [B, C, H/2, W/2]; while recording, also keeps the winner of every
    /// window; while replaying, takes the recorded winners instead.
    /// </summary>
    public static Tensor MaxPool2x2(Tensor x)
    {
        if (replaying is not null)
        {
            long h = x.shape[2] / 2, w = x.shape[3] / 2;
            var winners = Take([x.shape[0], x.shape[1], h, w], ScalarType.Int64);                 // [B, C, H/2, W/2] flat H*W positions
            return x.flatten(2).gather(2, winners.flatten(2)).view(x.shape[0], x.shape[1], h, w);
        }
        if (recording is null) return nn.functional.max_pool2d(x, 2);
        var (y, indices) = nn.functional.max_pool2d_with_indices(x, [2, 2]);   // stride defaults to the kernel size
        recording.Add(indices.detach().DetachFromDisposeScope());
        return y;
    }

    private static Tensor Take(long[] shape, ScalarType kind)
    {
        var masks = replaying!;
        if (next >= masks.Count) throw new InvalidOperationException($"replay: the step made more than the {masks.Count} decisions recorded");
        var d = masks[next++];
        if (d.dtype != kind || !d.shape.SequenceEqual(shape))
            throw new InvalidOperationException($"replay: decision {next} is {d.dtype} [{string.Join(", ", d.shape)}], the step needs {kind} [{string.Join(", ", shape)}]");
        return d;
    }

    /// <summary>Runs <paramref name="step"/> and returns, with its result, every decision in call order. The caller disposes them.</summary>
    public static (T Result, IReadOnlyList<Tensor> Decisions) Record<T>(Func<T> step)
    {
        if (recording is not null || replaying is not null) throw new InvalidOperationException("decisions are already being recorded or replayed");
        recording = [];
        try { return (step(), recording); }
        finally { recording = null; }
    }

    /// <summary>Runs <paramref name="step"/> with every ReLU and max-pool taking the recorded <paramref name="decisions"/>, which it must use up.</summary>
    public static T Replay<T>(IReadOnlyList<Tensor> decisions, Func<T> step)
    {
        if (recording is not null || replaying is not null) throw new InvalidOperationException("decisions are already being recorded or replayed");
        (replaying, next) = (decisions, 0);
        try
        {
            var result = step();
            if (next != decisions.Count) throw new InvalidOperationException($"replay: the step made {next} decisions, {decisions.Count} were recorded");
            return result;
        }
        finally { replaying = null; }
    }
}

/// <summary><see cref="PiecewiseDecisions.Relu"/> as a module, for <c>Sequential</c> stacks (no parameters, like <c>nn.ReLU</c>).</summary>
public sealed class Relu : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    public Relu() : base(nameof(Relu)) { }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => PiecewiseDecisions.Relu(x);
}
