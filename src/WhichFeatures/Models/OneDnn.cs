using System.Runtime.InteropServices;

namespace WhichFeatures.Models;

/// <summary>
/// libtorch's process-wide switch for its oneDNN (mkldnn) CPU kernels, PyTorch's <c>torch.backends.mkldnn.enabled</c>.
/// TorchSharp 0.107 does not expose it, so this calls <c>at::globalContext().setUserEnabledMkldnn</c> in
/// libtorch_cpu directly (Itanium C++ ABI: the context is the first argument). Off, convolutions run ATen's own
/// im2col + GEMM kernels: 2-4x slower on CPU (docs/robustness.md), but not the oneDNN kernels that compute wrong
/// gradients on some AVX-512 CPUs.
/// </summary>
public static class OneDnn
{
    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    /// <summary>Whether libtorch may use its oneDNN kernels (true unless <see cref="Enabled"/> was set false).</summary>
    public static bool Enabled
    {
        get { TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); return UserEnabledMkldnn(GlobalContext()); }
        set { TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); SetUserEnabledMkldnn(GlobalContext(), value); }
    }
}
