using System.Runtime.InteropServices;

namespace WhichFeatures.Models;

/// <summary>
/// libtorch's process-wide switch for its NNPACK convolution kernels, PyTorch's <c>torch.backends.nnpack.enabled</c>.
/// TorchSharp 0.107 does not expose it, so this calls <c>at::globalContext().setUserEnabledNNPACK</c> in libtorch_cpu
/// directly, as <see cref="OneDnn"/> does for oneDNN. <see cref="ModelFactory.Create"/> switches it off: libtorch picks
/// NNPACK only for convolutions without a gradient (probes, exports), so on CPUs where it works, evaluation ran on
/// kernels that <see cref="ConvolutionPathCheck"/> never checks; on CPUs it does not support (an AVX-512 AMD EPYC
/// here) asking for it printed "Could not initialize NNPACK!" six times per run on the console.
/// </summary>
public static class Nnpack
{
    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    /// <summary>Whether libtorch may use its NNPACK kernels (libtorch's default is true).</summary>
    public static bool Enabled
    {
        get { TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); return UserEnabledNnpack(GlobalContext()); }
        set { TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); SetUserEnabledNnpack(GlobalContext(), value); }
    }
}
