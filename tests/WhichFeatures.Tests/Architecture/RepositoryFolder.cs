namespace WhichFeatures.Tests.Architecture;

/// <summary>The repository the test binaries were built from, for the tests that read its sources and docs.</summary>
internal static class RepositoryFolder
{
    /// <summary>The folder holding docs/architecture.md and src/WhichFeatures, found above the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "architecture.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "WhichFeatures")))
                return dir.FullName;
        throw new DirectoryNotFoundException("the repository (docs/architecture.md, src/WhichFeatures) not found above the test binaries");
    }
}
