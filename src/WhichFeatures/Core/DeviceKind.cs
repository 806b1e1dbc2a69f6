namespace WhichFeatures.Core;

/// <summary>Where a model runs, as <c>--device</c> names it (a numbered GPU, <c>cuda:N</c>, is a <see cref="DeviceChoice"/> of kind Cuda with an index).</summary>
public enum DeviceKind
{
    /// <summary>CUDA when available, else the CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The (first) CUDA GPU.</summary>
    Cuda,
}

/// <summary>The <c>--device</c> choices.</summary>
public static class DeviceKinds
{
    /// <summary>The definition CLI defaults, parsing and validation read: auto, cpu, cuda.</summary>
    public static ChoiceSet<DeviceKind> All { get; } = new("--device", "device",
        new("auto", DeviceKind.Auto, "CUDA when available, else the CPU"),
        new("cpu", DeviceKind.Cpu, "the CPU"),
        new("cuda", DeviceKind.Cuda, "the GPU"));

    /// <summary>The default device's name ("auto"), as config.json stores it.</summary>
    public static string DefaultName => All.NameOf(DeviceKind.Auto);
}
