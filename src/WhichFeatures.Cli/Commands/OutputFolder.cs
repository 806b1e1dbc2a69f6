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
        RefuseWhileHeld(full, dir, option);
        if (HasContent(full) && !force && !resume)
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
    /// After a run failed before it started: deletes <paramref name="dir"/> (which this invocation created or found
    /// empty) when it holds no checkpoint, so no empty or half-begun run folder is left behind.
    /// </summary>
    public static void RemoveIfUnused(string dir)
    {
        try
        {
            if (Directory.Exists(dir) && !Directory.EnumerateFiles(dir, "*.wfck").Any()) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
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
        RefuseWhileHeld(full, dir, option);
        if (HasContent(full) && !force)
            throw new UserInputException($"{option} {dir}: the folder exists and is not empty; pass --force to write into it, or choose another folder.");
    }

    /// <summary>
    /// Takes the one-writer lock of <paramref name="dir"/> for this process (<see cref="FolderLock"/>); hold it until the
    /// verb has written everything. A second writer is refused with a line naming the process that writes there; a
    /// lock left by a killed process is taken over.
    /// </summary>
    public static FolderLock Lock(string dir, string option = "--out") =>
        FolderLock.TryAcquire(dir) ?? throw Busy(dir, option);

    private static UserInputException Busy(string dir, string option) =>
        new($"{option} {dir}: another process is writing there ({FolderLock.Holder(dir)}); wait for it to finish, or choose another folder.");

    private static void RefuseWhileHeld(string full, string dir, string option)
    {
        if (Directory.Exists(full) && FolderLock.IsHeld(full)) throw Busy(dir, option);
    }

    // Anything but the lock files of an earlier writer.
    private static bool HasContent(string full) =>
        Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full)
            .Any(e => Path.GetFileName(e) is not (FolderLock.FileName or FolderLock.HolderFileName));

    /// <summary>A default folder name under ./runs, e.g. runs/reproduce-theory-20261128-170102.</summary>
    public static string Default(string stem) => Path.Combine("runs", $"{stem}-{DateTime.Now:yyyyMMdd-HHmmss}");
}
