using System.Runtime.InteropServices;

namespace WhichFeatures.Tests.Bench;

/// <summary>The C library's view of the environment, which native code (libgomp, libtorch) reads; .NET on Unix keeps its own copy.</summary>
internal static class NativeEnvironmentReader
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>libc's <c>getenv(name)</c>; null when unset.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));
}
