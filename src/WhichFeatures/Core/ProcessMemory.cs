namespace WhichFeatures.Core;

/// <summary>Resident memory of this process (Linux /proc; falls back to .NET's working set elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set size in MB.</summary>
    public static double RssMegabytes() => ReadStatusKb("VmRSS:") is long kb ? kb / 1024.0 : Environment.WorkingSet / 1048576.0;

    /// <summary>Peak resident set size in MB.</summary>
    public static double PeakRssMegabytes() =>
        ReadStatusKb("VmHWM:") is long kb ? kb / 1024.0 : System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;

    private static long? ReadStatusKb(string key)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
