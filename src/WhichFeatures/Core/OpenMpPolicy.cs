namespace WhichFeatures.Core;

/// <summary>
/// OpenMP thread waiting for libtorch's CPU kernels. By default libgomp's idle threads spin before they sleep; when
/// another process competes for the cores (a shared 2-core machine, a data-loading process) a spinning thread burns
/// the time slice its partner needs and every parallel region waits for the scheduler: measured 10-25x slower small
/// ops (docs/benchmarks.md). PASSIVE makes idle threads sleep at once. libgomp reads the variable once, when libtorch
/// loads, and .NET on Unix does not pass <see cref="Environment.SetEnvironmentVariable(string, string)"/> to native
/// code, so this sets it through <see cref="NativeEnvironment"/> and must run before the first torch call.
/// </summary>
public static class OpenMpPolicy
{
    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE for this process and its children unless the user already chose a policy.
    /// Returns the policy in force afterwards. Call first thing in Main, before any TorchSharp call.
    /// </summary>
    public static string PreferPassiveWaiting()
    {
        var current = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        if (!string.IsNullOrEmpty(current)) return current;
        NativeEnvironment.Set("OMP_WAIT_POLICY", "PASSIVE");
        return "PASSIVE";
    }
}
