using WhichFeatures.Core;

namespace WhichFeatures.Tests.Bench;

public class OpenMpPolicyTests
{
    [SkippableFact]
    public void PolicyIsVisibleToNativeCodeAndAUserChoiceIsKept()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "libc setenv/getenv");
        var before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        var policy = OpenMpPolicy.PreferPassiveWaiting();
        Assert.Equal(string.IsNullOrEmpty(before) ? "PASSIVE" : before, policy);
        Assert.Equal(policy, Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
        if (string.IsNullOrEmpty(before))
            Assert.Equal("PASSIVE", NativeEnvironmentReader.Get("OMP_WAIT_POLICY"));
        Assert.Equal(policy, OpenMpPolicy.PreferPassiveWaiting());   // idempotent: a set policy is never overwritten
    }
}
