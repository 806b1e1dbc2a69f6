namespace WhichFeatures.Sweeps;

/// <summary>
/// The command a planned sweep starts its units with (<c>--launcher</c>), and why it was chosen. The default is
/// the tool's command name when that name on PATH is this very program (an installed dotnet tool, or the container
/// image of deploy/Dockerfile), and this program's absolute path otherwise (a build tree, <c>dotnet run</c>), so
/// that the units run the build that planned them.
/// </summary>
/// <param name="Command">The command, as it goes into slurm.sbatch and the sweep's README.</param>
/// <param name="Reason">Why this command: printed with the plan.</param>
public sealed record LauncherChoice(string Command, string Reason)
{
    /// <summary>The tool's command name: ToolCommandName in src/WhichFeatures.Cli/WhichFeatures.Cli.csproj, and the image's entry point.</summary>
    public const string ToolCommand = "whichfeatures";

    private const string Override = "give --launcher with the cluster's install to change it";

    /// <summary>The line the plan prints.</summary>
    public string Describe() => $"Units start with: {Command} ({Reason}).";

    /// <summary>The command the user gave.</summary>
    public static LauncherChoice Given(string command) => new(command, "as given with --launcher");

    /// <summary>
    /// The default for this program. <paramref name="processPath"/> is <see cref="Environment.ProcessPath"/>,
    /// <paramref name="cliAssemblyPath"/> the CLI's .dll (used when the process is <c>dotnet</c> itself), and
    /// <paramref name="pathVariable"/> the PATH to look the tool's command up in.
    /// </summary>
    public static LauncherChoice Default(string? processPath, string cliAssemblyPath, string? pathVariable)
    {
        if (string.IsNullOrEmpty(processPath))
            return new(ToolCommand, $"this program's path is unknown; {Override}");
        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet" && cliAssemblyPath.EndsWith(".dll", StringComparison.Ordinal))
            return new($"{ShellWord(processPath)} {ShellWord(cliAssemblyPath)}", $"this program, run through dotnet; {Override}");
        var onPath = FindOnPath(ToolCommand, pathVariable);
        if (onPath is not null && RealPath(onPath) == RealPath(processPath))
            return new(ToolCommand, $"`{ToolCommand}` on PATH is this program, {onPath}; {Override}");
        return new(ShellWord(processPath), onPath is null
            ? $"this program's own path: `{ToolCommand}` is not on PATH; {Override}"
            : $"this program's own path: `{ToolCommand}` on PATH is another program, {onPath}; {Override}");
    }

    /// <summary>The first executable file named <paramref name="name"/> in the folders of <paramref name="pathVariable"/>, or null.</summary>
    public static string? FindOnPath(string name, string? pathVariable)
    {
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>
    /// <paramref name="path"/> with every symbolic link resolved, in every folder on the way (a PATH entry is often a
    /// link into an install folder; the process path the kernel reports never is).
    /// </summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var resolved = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(resolved, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target && links < 40)   // 40: the kernel's own limit on links in one lookup (a loop ends there)
            {
                // Resolve the target's own folders and links, then the rest of the path after it.
                var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return RealPath(Path.Combine(Path.IsPathRooted(target) ? target : Path.Combine(resolved, target), rest), links + 1);
            }
            resolved = next;
        }
        return resolved;
    }

    /// <summary><paramref name="word"/> as one shell word: unchanged when it has only safe characters, else single-quoted.</summary>
    public static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:@%,".Contains(c)) ? word : "'" + word.Replace("'", "'\\''") + "'";
}
