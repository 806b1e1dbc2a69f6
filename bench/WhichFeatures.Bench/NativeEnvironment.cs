using System.Runtime.InteropServices;

namespace WhichFeatures.Bench;

/// <summary>
/// Sets an environment variable where native code sees it. .NET on Unix keeps its own copy of the environment, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> alone reaches child processes but not libgomp,
/// which reads OMP_* once when libtorch loads: call this before the first torch call.
/// </summary>
public static partial class NativeEnvironment
{
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    /// <summary>Sets <paramref name="name"/> for this process (native and managed) and its children.</summary>
    /// <param name="name">Variable name.</param>
    /// <param name="value">Value.</param>
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv(name, value, 1);
    }
}
