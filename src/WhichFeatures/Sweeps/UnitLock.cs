namespace WhichFeatures.Sweeps;

/// <summary>
/// An exclusive lock on a unit's folder: the file ".lock" opened with <see cref="FileShare.None"/>, which .NET
/// takes as an advisory <c>flock</c> on Unix. The kernel releases it when the holder exits or is killed, so a
/// preempted task never leaves a stale lock behind. (flock over NFS needs a server with lock support; see docs/cluster.md.)
/// </summary>
public sealed class UnitLock : IDisposable
{
    /// <summary>File name of the lock inside the unit folder.</summary>
    public const string FileName = ".lock";
    private readonly FileStream _stream;

    private UnitLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock of <paramref name="folder"/>, or returns null at once when another holder has it.</summary>
    public static UnitLock? TryAcquire(string folder)
    {
        Directory.CreateDirectory(folder);
        try
        {
            return new UnitLock(new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether some holder has the lock of <paramref name="folder"/> now.</summary>
    public static bool IsHeld(string folder)
    {
        if (!File.Exists(Path.Combine(folder, FileName))) return false;
        using var probe = TryAcquire(folder);
        return probe is null;
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
