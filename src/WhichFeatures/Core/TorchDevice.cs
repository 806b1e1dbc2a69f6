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

    /// <summary>Parses a <see cref="DeviceKinds"/> name ("auto", "cpu", "cuda"; empty is auto) or a numbered GPU ("cuda:1").</summary>
    public static Device Parse(string name)
    {
        var s = name.Trim().ToLowerInvariant();
        if (s.Length == 0) return Default;
        // "cuda" followed by anything (cuda:1) is a GPU libtorch names; only the bare names are choices.
        if (s.StartsWith(DeviceKinds.All.NameOf(DeviceKind.Cuda), StringComparison.Ordinal))
            return cuda.is_available() ? new Device(s) : throw new UserInputException($"--device {name}: CUDA is not available in this build of libtorch; use cpu or auto.");
        if (!DeviceKinds.All.IsKnown(s)) throw new UserInputException($"--device {name}: expected cpu, cuda, cuda:N or auto.");
        return DeviceKinds.All.Parse(s) == DeviceKind.Cpu ? CPU : Default;
    }
}
