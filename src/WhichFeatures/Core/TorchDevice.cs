using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Core;

/// <summary>Device selection: CUDA when the installed libtorch has it, else CPU.</summary>
public static class TorchDevice
{
    /// <summary>The device to train on by default.</summary>
    public static Device Default => cuda.is_available() ? CUDA : CPU;

    /// <summary>Every device available here (CPU always; CUDA when present), for tests that run on each.</summary>
    public static IReadOnlyList<Device> Available => cuda.is_available() ? new[] { CPU, CUDA } : new[] { CPU };

    /// <summary>The torch device <paramref name="choice"/> names: the CPU, CUDA when available (auto), or a (numbered) GPU.</summary>
    /// <exception cref="UserInputException">A GPU asked for when this libtorch has no CUDA.</exception>
    public static Device Resolve(DeviceChoice choice) => choice.Kind switch
    {
        DeviceKind.Cpu => CPU,
        DeviceKind.Cuda when !cuda.is_available() => throw new UserInputException($"--device {choice}: CUDA is not available in this build of libtorch; use cpu or auto."),
        DeviceKind.Cuda => choice.Index is { } i ? new Device(DeviceType.CUDA, i) : CUDA,
        _ => Default,
    };
}
