using System.Runtime.InteropServices;

namespace WhichFeatures.Core;

/// <summary>
/// How glibc hands memory to libtorch's CPU tensors. By default glibc gives freed memory back to the kernel once the
/// free top of the heap passes a threshold, and serves large blocks with fresh mmaps. A training step frees a few
/// hundred megabytes of activations and asks for them again in the next step, so every step page-faults its
/// tensors in anew: on a 2-vCPU AMD EPYC VM a batch of 512 spent half its time in the kernel, and the real suite's
/// MNIST and digits units ran 2x slower than on an Intel VM (docs/benchmarks.md, "Page faults: freed tensor memory is kept").
/// This keeps freed heap memory in the process and asks libtorch for transparent huge pages on large tensors
/// (PyTorch's <c>THP_MEM_ALLOC_ENABLE</c>). Neither changes which kernels run or in what order they sum, so the
/// numbers are the same bit for bit; only the page faults go.
/// </summary>
public static class NativeAllocation
{
    /// <summary>Set to 1 to leave glibc's and libtorch's allocation defaults alone (for comparisons).</summary>
    public const string DefaultsVariable = "WHICHFEATURES_MALLOC_DEFAULTS";

    /// <summary>libtorch (c10/core/impl/alloc_cpu.cpp) reads it once, at its first CPU allocation.</summary>
    public const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    // glibc's malloc.h: M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3.
    private const int TrimThresholdParameter = -1, MmapThresholdParameter = -3;

    /// <summary>The free heap top glibc keeps before returning memory to the kernel: 1 GiB (glibc's default is 128 KiB, raised as blocks are freed).</summary>
    public const int TrimThresholdBytes = 1 << 30;

    /// <summary>Blocks up to this size come from the heap, not from their own mmap: 32 MiB, the largest glibc accepts on 64-bit.</summary>
    public const int MmapThresholdBytes = 32 << 20;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    /// <summary>
    /// Keeps freed memory for reuse and asks for huge pages, unless <see cref="DefaultsVariable"/> is 1 or the
    /// platform is not glibc Linux. Returns what was applied. Call first thing in Main, before any TorchSharp call:
    /// libtorch reads <see cref="HugePagesVariable"/> only once. A user's own <c>THP_MEM_ALLOC_ENABLE</c> is kept.
    /// </summary>
    public static NativeAllocationPolicy PreferReuse()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(DefaultsVariable) == "1")
            return new NativeAllocationPolicy(KeepsFreedMemory: false, HugePages: Environment.GetEnvironmentVariable(HugePagesVariable) == "1");
        bool kept;
        try
        {
            kept = MallOpt(TrimThresholdParameter, TrimThresholdBytes) == 1 & MallOpt(MmapThresholdParameter, MmapThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            kept = false;   // musl (Alpine) has no mallopt; its allocator keeps its own policy
        }
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HugePagesVariable)))
            NativeEnvironment.Set(HugePagesVariable, "1");
        return new NativeAllocationPolicy(kept, Environment.GetEnvironmentVariable(HugePagesVariable) == "1");
    }
}

/// <summary>What <see cref="NativeAllocation.PreferReuse"/> applied.</summary>
/// <param name="KeepsFreedMemory">glibc accepted the trim and mmap thresholds.</param>
/// <param name="HugePages">libtorch will ask for transparent huge pages on tensors of 2 MiB and more.</param>
public sealed record NativeAllocationPolicy(bool KeepsFreedMemory, bool HugePages);
