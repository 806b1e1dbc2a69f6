using System.Runtime.InteropServices;

namespace WhichFeatures.Core;

/// <summary>
/// Sets an environment variable where native code sees it. .NET on Unix keeps its own copy of the environment, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> alone reaches child processes but not libgomp or
/// libtorch, which read the C library's (once, when they load: call this before the first torch call).
/// </summary>
public static class NativeEnvironment
{
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>Sets <paramref name="name"/> for this process (managed and native) and its children.</summary>
    /// <param name="name">Variable name.</param>
    /// <param name="value">Value.</param>
    /// <param name="overwrite">Replace a native value already there (false: a value the user exported wins).</param>
    public static void Set(string name, string value, bool overwrite = false)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(name, value, overwrite ? 1 : 0);
    }
}
