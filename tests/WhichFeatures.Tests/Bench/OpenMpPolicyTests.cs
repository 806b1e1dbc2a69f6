using System.Runtime.InteropServices;
using WhichFeatures.Core;

namespace WhichFeatures.Tests.Bench;

public class OpenMpPolicyTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [SkippableFact]
    public void PolicyIsVisibleToNativeCodeAndAUserChoiceIsKept()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "libc setenv/getenv");
        var before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        var policy = OpenMpPolicy.PreferPassiveWaiting();
        Assert.Equal(string.IsNullOrEmpty(before) ? "PASSIVE" : before, policy);
        Assert.Equal(policy, Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
        if (string.IsNullOrEmpty(before))
            Assert.Equal("PASSIVE", Marshal.PtrToStringUTF8(NativeGetEnv("OMP_WAIT_POLICY")));
        Assert.Equal(policy, OpenMpPolicy.PreferPassiveWaiting());   // idempotent: a set policy is never overwritten
    }
}
