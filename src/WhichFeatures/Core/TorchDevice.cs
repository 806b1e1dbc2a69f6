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

    /// <summary>Parses "cpu", "cuda", "cuda:1" or "auto".</summary>
    public static Device Parse(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "auto" or "" => Default,
            "cpu" => CPU,
            var s when s.StartsWith("cuda", StringComparison.Ordinal) =>
                cuda.is_available() ? new Device(s) : throw new UserInputException($"--device {name}: CUDA is not available in this build of libtorch; use cpu or auto."),
            _ => throw new UserInputException($"--device {name}: expected cpu, cuda, cuda:N or auto."),
        };
}
