namespace WhichFeatures.Core;

/// <summary>
/// An exclusive lock on a folder that one process writes (a run folder, a sweep unit): the file ".lock" opened with
/// <see cref="FileShare.None"/>, which .NET takes as an advisory <c>flock</c> on Unix. The kernel releases it when the
/// holder exits or is killed, so a lock left behind by a killed process is simply taken over. Beside it, ".lock.holder"
/// names the holder (pid, command, start time) for the refusal message; the lock file itself cannot be read while held.
/// (flock over NFS needs a server with lock support; see docs/cluster.md.)
/// </summary>
public sealed class FolderLock : IDisposable
{
    /// <summary>File name of the lock inside the folder.</summary>
    public const string FileName = ".lock";
    /// <summary>File name of the holder's description inside the folder.</summary>
    public const string HolderFileName = ".lock.holder";
    private readonly FileStream _stream;
    private readonly string _holderPath;

    private FolderLock(FileStream stream, string holderPath) => (_stream, _holderPath) = (stream, holderPath);

    /// <summary>Takes the lock of <paramref name="folder"/> (creating the folder), or returns null at once when another holder has it.</summary>
    public static FolderLock? TryAcquire(string folder)
    {
        Directory.CreateDirectory(folder);
        FileStream stream;
        try
        {
            stream = new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        var holderPath = Path.Combine(folder, HolderFileName);
        File.WriteAllText(holderPath, $"pid {Environment.ProcessId} ({string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}), since {DateTime.Now:yyyy-MM-dd HH:mm:ss}");
        return new FolderLock(stream, holderPath);
    }

    /// <summary>Whether some holder has the lock of <paramref name="folder"/> now.</summary>
    public static bool IsHeld(string folder)
    {
        if (!File.Exists(Path.Combine(folder, FileName))) return false;
        using var probe = TryAcquire(folder);
        return probe is null;
    }

    /// <summary>Who holds the lock of <paramref name="folder"/>, as its holder wrote it ("an unknown process" when unreadable).</summary>
    public static string Holder(string folder)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(folder, HolderFileName)).Trim();
            return text.Length > 0 ? text : "an unknown process";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "an unknown process";
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { File.Delete(_holderPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}
