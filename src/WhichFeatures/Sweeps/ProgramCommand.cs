using System.Diagnostics;

namespace WhichFeatures.Sweeps;

/// <summary>
/// How to start this program again, for worker processes (<see cref="SweepWorkerProcesses"/>): an executable and the
/// arguments that go before the verb. The CLI, which knows its own path, makes it with <see cref="ForProcess"/>.
/// </summary>
/// <param name="FileName">The executable: the apphost, or dotnet.</param>
/// <param name="LeadingArguments">Arguments before the verb: the CLI's .dll when <see cref="FileName"/> is dotnet.</param>
public sealed record ProgramCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>
    /// The program of a process whose <see cref="Environment.ProcessPath"/> is <paramref name="processPath"/> and
    /// whose first command-line word is <paramref name="firstArgument"/> (the .dll dotnet runs, when the host is dotnet).
    /// </summary>
    public static ProgramCommand ForProcess(string? processPath, string firstArgument)
    {
        var host = processPath ?? throw new InvalidOperationException("the path of this program is unknown");
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? new(host, [firstArgument])
            : new(host, []);
    }

    /// <summary>Start information for this program with <paramref name="args"/> after the leading arguments.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var a in LeadingArguments.Concat(args)) start.ArgumentList.Add(a);
        return start;
    }
}
