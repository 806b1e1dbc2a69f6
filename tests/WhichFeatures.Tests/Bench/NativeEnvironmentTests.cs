using WhichFeatures.Core;

namespace WhichFeatures.Tests.Bench;

/// <summary>
/// Core/NativeEnvironment writes where libc's getenv (what libgomp and libtorch read) sees it: the library keeps a
/// value already there, the benchmark (bench/WhichFeatures.Bench, --omp-wait) replaces it.
/// </summary>
public class NativeEnvironmentTests
{
    [SkippableFact]
    public void A_value_reaches_libc_and_replaces_an_earlier_one_only_when_asked()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "libc setenv/getenv");
        string name = $"WHICHFEATURES_TEST_{Guid.NewGuid():N}";
        NativeEnvironment.Set(name, "first");
        Assert.Equal(("first", "first"), (NativeEnvironmentReader.Get(name), Environment.GetEnvironmentVariable(name)));
        NativeEnvironment.Set(name, "second");
        Assert.Equal("first", NativeEnvironmentReader.Get(name));   // kept: a user's export wins over the library's default
        NativeEnvironment.Set(name, "third", overwrite: true);
        Assert.Equal(("third", "third"), (NativeEnvironmentReader.Get(name), Environment.GetEnvironmentVariable(name)));
    }
}
