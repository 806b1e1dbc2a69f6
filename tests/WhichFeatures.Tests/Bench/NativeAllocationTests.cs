using WhichFeatures.Core;

namespace WhichFeatures.Tests.Bench;

/// <summary>
/// <see cref="NativeAllocation"/>: glibc accepts the thresholds, libtorch can see the huge-page variable, and the
/// opt-out leaves both alone. That the numbers stay the same bit for bit is
/// <c>InterruptionTests.GlibcsDefaultAllocationGivesTheSameRun</c>; the speed is bench/allocation.py's.
/// </summary>
public class NativeAllocationTests
{
    [SkippableFact]
    public void GlibcKeepsFreedMemoryAndLibtorchSeesTheHugePageVariable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc mallopt and setenv");
        Skip.If(Environment.GetEnvironmentVariable(NativeAllocation.DefaultsVariable) == "1", $"{NativeAllocation.DefaultsVariable}=1 in this environment");
        var userChoice = Environment.GetEnvironmentVariable(NativeAllocation.HugePagesVariable);
        var policy = NativeAllocation.PreferReuse();
        Assert.True(policy.KeepsFreedMemory, "glibc refused M_TRIM_THRESHOLD or M_MMAP_THRESHOLD");
        var expected = string.IsNullOrEmpty(userChoice) ? "1" : userChoice;
        Assert.Equal(expected, NativeEnvironmentReader.Get(NativeAllocation.HugePagesVariable));
        Assert.Equal(expected == "1", policy.HugePages);
        Assert.Equal(policy, NativeAllocation.PreferReuse());   // idempotent
    }

    [SkippableFact]
    public void TheOptOutChangesNothing()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "glibc mallopt and setenv");
        var before = Environment.GetEnvironmentVariable(NativeAllocation.DefaultsVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeAllocation.DefaultsVariable, "1");
            var policy = NativeAllocation.PreferReuse();
            Assert.False(policy.KeepsFreedMemory);
            Assert.Equal(Environment.GetEnvironmentVariable(NativeAllocation.HugePagesVariable) == "1", policy.HugePages);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeAllocation.DefaultsVariable, before);
        }
    }
}
