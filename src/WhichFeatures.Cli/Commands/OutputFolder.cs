using WhichFeatures.Core;

namespace WhichFeatures.Cli.Commands;

/// <summary>The run-folder policy shared by every verb that writes one: never overwrite a user's results by accident.</summary>
public static class OutputFolder
{
    /// <summary>
    /// Prepares <paramref name="dir"/>: creates it when missing; refuses a non-empty folder unless <paramref name="force"/>
    /// (or <paramref name="resume"/>, where existing contents are the point); checks that it can be written.
    /// </summary>
    public static string Prepare(string dir, bool force, bool resume = false, string option = "--out")
    {
        var full = Path.GetFullPath(dir);
        if (File.Exists(full))
            throw new UserInputException($"{option} {dir}: is a file, expected a folder.");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force && !resume)
            throw new UserInputException($"{option} {dir}: the folder exists and is not empty; pass --force to write into it, or choose another folder.");
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UserInputException($"{option} {dir}: cannot write there ({e.Message}).", e);
        }
        return full;
    }

    /// <summary>
    /// Checks <paramref name="dir"/> without creating anything: for verbs that compute first and create the folder
    /// only when there is something to write (so a failed run leaves no empty folder behind).
    /// </summary>
    public static void Check(string dir, bool force, string option = "--out")
    {
        var full = Path.GetFullPath(dir);
        if (File.Exists(full))
            throw new UserInputException($"{option} {dir}: is a file, expected a folder.");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            throw new UserInputException($"{option} {dir}: the folder exists and is not empty; pass --force to write into it, or choose another folder.");
    }

    /// <summary>A default folder name under ./runs, e.g. runs/reproduce-theory-20261128-170102.</summary>
    public static string Default(string stem) => Path.Combine("runs", $"{stem}-{DateTime.Now:yyyyMMdd-HHmmss}");
}
