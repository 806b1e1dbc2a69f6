using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// deploy/Dockerfile fits the repository it builds and the Job that runs it: the projects it publishes exist, its
/// entry point is the tool's command, the image name a plan writes is the tag the docs build. Building and running
/// the image is deploy/container/check.sh's job in CI (docs/cluster.md, "The container image").
/// </summary>
public partial class ContainerImageTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly XDocument CliProject = XDocument.Load(Path.Combine(Root, "src", "WhichFeatures.Cli", "WhichFeatures.Cli.csproj"));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "Dockerfile")) && File.Exists(Path.Combine(dir.FullName, "WhichFeatures.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException("the repository (deploy/Dockerfile, WhichFeatures.slnx) not found above the test binaries");
    }

    /// <summary>The Dockerfile's instructions, continuation lines joined, comments dropped.</summary>
    private static List<(string Keyword, string Args)> Instructions()
    {
        var joined = Regex.Replace(File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile")), @"\\\r?\n", " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var k, var a] ? (k.ToUpperInvariant(), a.Trim()) : (l.ToUpperInvariant(), "")).ToList();
    }

    private static string Property(string name) => CliProject.Descendants(name).Single().Value;

    [Fact]
    public void ThePublishedProjectAndEveryCopiedFileExist()
    {
        var runs = Instructions().Where(i => i.Keyword == "RUN").Select(i => i.Args).ToList();
        var publish = runs.Select(r => PublishProject().Match(r)).Single(m => m.Success).Groups[1].Value;
        Assert.Equal("src/WhichFeatures.Cli/WhichFeatures.Cli.csproj", publish);
        Assert.True(File.Exists(Path.Combine(Root, publish)), publish);
        Assert.Contains(runs, r => r.Contains($"dotnet restore {publish}"));
        foreach (var (_, args) in Instructions().Where(i => i.Keyword == "COPY" && !i.Args.StartsWith("--from", StringComparison.Ordinal)))
        {
            var sources = args.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];
            Assert.NotEmpty(sources);
            foreach (var s in sources)
                Assert.True(File.Exists(Path.Combine(Root, s)) || Directory.Exists(Path.Combine(Root, s)), $"COPY {s}: not in the repository");
        }
    }

    [Fact]
    public void TheEntryPointIsTheToolCommandLinkedToThePublishedProgram()
    {
        var tool = Property("ToolCommandName");
        Assert.Equal(LauncherChoice.ToolCommand, tool);
        var entry = JsonSerializer.Deserialize<string[]>(Instructions().Single(i => i.Keyword == "ENTRYPOINT").Args)!;
        Assert.Equal([tool], entry);
        // The published program (the apphost, named after AssemblyName) is linked onto PATH under the tool's name.
        var link = Instructions().Where(i => i.Keyword == "RUN").Select(i => LinkOntoPath().Match(i.Args)).Single(m => m.Success);
        Assert.Equal(Property("AssemblyName"), Path.GetFileName(link.Groups[1].Value));
        Assert.Equal(tool, Path.GetFileName(link.Groups[2].Value));
        Assert.Contains(Instructions(), i => i.Keyword == "COPY" && i.Args == $"--from=build /app {Path.GetDirectoryName(link.Groups[1].Value)}");
    }

    [Fact]
    public void TheRuntimeImageHasTheFontsThePlotsNeed()
    {
        var stages = Instructions().Where(i => i.Keyword == "FROM").ToList();
        Assert.Equal(2, stages.Count);
        var runtime = Instructions().SkipWhile(i => i != stages[1]).Where(i => i.Keyword == "RUN").Select(i => i.Args).ToList();
        Assert.Contains(runtime, r => r.Contains("fonts-dejavu-core") && r.Contains("fontconfig"));
    }

    [Fact]
    public void TheImageAPlanNamesIsTheTagTheDocsAndCiBuild()
    {
        var image = new ClusterOptions().Image;
        var build = $"-f deploy/Dockerfile -t {image} .";
        Assert.Contains(build, File.ReadAllText(Path.Combine(Root, "docs", "cluster.md")));
        Assert.Contains(build, File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile")));
        var check = File.ReadAllText(Path.Combine(Root, "deploy", "container", "check.sh"));
        Assert.Contains($"TAG={image}\n", check);
        // The script swaps the base images through the build arguments the Dockerfile declares.
        foreach (var arg in new[] { "SDK_IMAGE", "RUNTIME_IMAGE" })
        {
            Assert.Contains(Instructions(), i => i.Keyword == "ARG" && i.Args.StartsWith(arg + "=mcr.microsoft.com/dotnet/", StringComparison.Ordinal));
            Assert.Contains($"--build-arg {arg}=", check);
        }
    }

    [Fact]
    public void TheBuildContextLeavesOutBuildOutputsAndRunResults()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "runs/", "results/", ".git/" })
            Assert.Contains(pattern, ignored);
    }

    [GeneratedRegex(@"dotnet publish (\S+)")]
    private static partial Regex PublishProject();

    [GeneratedRegex(@"ln -s (\S+) (\S+)")]
    private static partial Regex LinkOntoPath();
}
