using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// libtorch's L-BFGS (the same native optimizer as TorchSharp's <c>optim.LBFGS</c>, same defaults and step), built
/// without asking libtorch for its parameter list. TorchSharp's <c>LBFGS</c> constructor calls the native
/// <c>Optimizer::parameters()</c>, which libtorch marks deprecated with a TORCH_WARN, so every probe printed
/// "Optimizer::parameters() will be removed" on stderr. This wrapper keeps the parameters it was given instead, so
/// that deprecated accessor is never called and nothing needs to be filtered.
/// </summary>
public sealed class NativeLbfgs : optim.Optimizer
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSNN_LBFGS_ctor(IntPtr[] parameters, int len, double learningRate, long max_iter, long max_eval, double tolerange_grad, double tolerance_change, long history_size);

    private readonly Parameter[] _parameters;

    private NativeLbfgs(IntPtr handle, Parameter[] parameters) : base(handle) => _parameters = parameters;

    /// <summary>Creates the optimizer; arguments as PyTorch's <c>torch.optim.LBFGS</c> without a line search
    /// (max_eval defaults to 5/4 of max_iter, as there).</summary>
    public static NativeLbfgs Create(IReadOnlyList<Parameter> parameters, double lr = 1, long maxIter = 20, long? maxEval = null,
        double toleranceGrad = 1e-7, double toleranceChange = 1e-9, long historySize = 100)
    {
        var handles = parameters.Select(p => p.Handle).ToArray();
        var handle = THSNN_LBFGS_ctor(handles, handles.Length, lr, maxIter, maxEval ?? 5 * maxIter / 4, toleranceGrad, toleranceChange, historySize);
        GC.KeepAlive(parameters);
        if (handle == IntPtr.Zero) TorchSharp.torch.CheckForErrors();
        return new NativeLbfgs(handle, [.. parameters]);
    }

    /// <summary>The parameters given at construction (kept here; the native accessor is deprecated).</summary>
    public override IEnumerable<Parameter> parameters() => _parameters;

    /// <summary>One L-BFGS step (up to max_iter iterations); <paramref name="closure"/> recomputes the loss and its gradients.</summary>
    public override Tensor step(Func<Tensor>? closure = null) =>
        base.step(closure ?? throw new ArgumentNullException(nameof(closure), "L-BFGS needs a closure that recomputes the loss."));
}
