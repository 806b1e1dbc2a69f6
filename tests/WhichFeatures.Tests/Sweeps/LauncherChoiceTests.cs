using WhichFeatures.Sweeps;
using System.Text.RegularExpressions;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// The default <c>--launcher</c>: the tool's command name when that name on PATH is this program (an installed
/// dotnet tool, the container image's link), this program's absolute path otherwise (a build tree).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]   // executable bits and links as on the Linux nodes
public class LauncherChoiceTests
{
    private const string Dll = "/build/WhichFeatures.Cli.dll";

    private static string Executable(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void AnInstalledToolWhoseShimIsThisProcessIsLaunchedByName()
    {
        // `dotnet tool install` of a framework-dependent tool: the shim ~/.dotnet/tools/whichfeatures is the process itself.
        using var tmp = new TempDir();
        var shim = Executable(Path.Combine(tmp.Path, "tools", LauncherChoice.ToolCommand));
        var choice = LauncherChoice.Default(shim, Dll, string.Join(Path.PathSeparator, "/nonexistent", Path.Combine(tmp.Path, "tools")));
        Assert.Equal(LauncherChoice.ToolCommand, choice.Command);
        Assert.Contains("is this program", choice.Reason);
    }

    [Fact]
    public void ALinkOnPathToThisProgramIsLaunchedByName()
    {
        // The container image (/usr/local/bin/whichfeatures -> /opt/whichfeatures/WhichFeatures.Cli) and a tool for one
        // runtime (~/.dotnet/tools/whichfeatures -> .store/.../WhichFeatures.Cli); the PATH entry itself is a link to a
        // folder here, as /bin is on many systems.
        using var tmp = new TempDir();
        var program = Executable(Path.Combine(tmp.Path, "opt", "WhichFeatures.Cli"));
        var bin = tmp.Sub("real-bin");
        File.CreateSymbolicLink(Path.Combine(bin, LauncherChoice.ToolCommand), "../opt/WhichFeatures.Cli");
        Directory.CreateSymbolicLink(Path.Combine(tmp.Path, "bin"), bin);
        var choice = LauncherChoice.Default(program, Dll, Path.Combine(tmp.Path, "bin"));
        Assert.Equal(LauncherChoice.ToolCommand, choice.Command);
    }

    [Fact]
    public void ABuildTreeKeepsItsAbsolutePathWhenTheToolIsNotOnPath()
    {
        using var tmp = new TempDir();
        var program = Executable(Path.Combine(tmp.Path, "bin", "Release", "WhichFeatures.Cli"));
        var choice = LauncherChoice.Default(program, Dll, Path.Combine(tmp.Path, "empty"));
        Assert.Equal(program, choice.Command);
        Assert.Contains("not on PATH", choice.Reason);
        Assert.Contains("--launcher", choice.Reason);
    }

    [Fact]
    public void ABuildTreeKeepsItsAbsolutePathWhenPathHasAnotherInstall()
    {
        // Units must run the build that planned them, not whatever else answers to the name.
        using var tmp = new TempDir();
        var program = Executable(Path.Combine(tmp.Path, "tree", "WhichFeatures.Cli"));
        var other = Executable(Path.Combine(tmp.Path, "other", LauncherChoice.ToolCommand));
        var choice = LauncherChoice.Default(program, Dll, Path.Combine(tmp.Path, "other"));
        Assert.Equal(program, choice.Command);
        Assert.Contains(other, choice.Reason);
    }

    [Fact]
    public void AFileOnPathThatIsNotExecutableIsNotTheTool()
    {
        using var tmp = new TempDir();
        var program = Executable(Path.Combine(tmp.Path, "tools", LauncherChoice.ToolCommand));
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Null(LauncherChoice.FindOnPath(LauncherChoice.ToolCommand, Path.Combine(tmp.Path, "tools")));
        Assert.Equal(program, LauncherChoice.Default(program, Dll, Path.Combine(tmp.Path, "tools")).Command);
    }

    [Fact]
    public void RunThroughDotnetTheLauncherIsDotnetAndTheDll()
    {
        var choice = LauncherChoice.Default("/usr/share/dotnet/dotnet", "/home/me/wf/bin/WhichFeatures.Cli.dll", "/usr/bin");
        Assert.Equal("/usr/share/dotnet/dotnet /home/me/wf/bin/WhichFeatures.Cli.dll", choice.Command);
        Assert.Contains("through dotnet", choice.Reason);
    }

    [Fact]
    public void APathWithASpaceIsOneShellWord()
    {
        using var tmp = new TempDir();
        var program = Executable(Path.Combine(tmp.Path, "my builds", "WhichFeatures.Cli"));
        Assert.Equal($"'{program}'", LauncherChoice.Default(program, Dll, null).Command);
        Assert.Equal("'it'\\''s'", LauncherChoice.ShellWord("it's"));
        Assert.Equal("/opt/wf/whichfeatures", LauncherChoice.ShellWord("/opt/wf/whichfeatures"));
    }

    [Fact]
    public void AGivenLauncherIsKeptAsItIs()
    {
        var choice = LauncherChoice.Given("/shared/opt/whichfeatures/WhichFeatures.Cli");
        Assert.Equal("/shared/opt/whichfeatures/WhichFeatures.Cli", choice.Command);
        Assert.Contains("as given", choice.Describe());
    }

    [Fact]
    public void APlanPrintsItsLauncherAndStartsUnitsWithIt()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "default");
        var r = CliHarness.InProcess("reproduce", "--plan", dir, "--only", "toy");
        Assert.True(r.Code == 0, r.All);
        var launcher = Regex.Match(r.Out, @"Units start with: (.+) \(").Groups[1].Value;
        Assert.NotEmpty(launcher);
        Assert.Contains($"\n{launcher} sweep run \"$SWEEP\"", File.ReadAllText(Path.Combine(dir, SweepScripts.SlurmFile)));
        Assert.Contains($"{launcher} sweep status", File.ReadAllText(Path.Combine(dir, "README.md")));

        var given = Path.Combine(tmp.Path, "given");
        r = CliHarness.InProcess("reproduce", "--plan", given, "--only", "toy", "--launcher", "/shared/opt/whichfeatures/WhichFeatures.Cli");
        Assert.True(r.Code == 0, r.All);
        Assert.Contains("Units start with: /shared/opt/whichfeatures/WhichFeatures.Cli (as given with --launcher).", r.Out);
        Assert.Contains("\n/shared/opt/whichfeatures/WhichFeatures.Cli sweep run \"$SWEEP\"", File.ReadAllText(Path.Combine(given, SweepScripts.SlurmFile)));
    }
}
