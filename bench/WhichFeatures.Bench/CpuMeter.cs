namespace WhichFeatures.Bench;

/// <summary>
/// How much CPU other processes used while we measured: machine busy time (/proc/stat) minus our own process and
/// the PyTorch child (utime + stime + reaped children, from /proc/PID/stat), as a share of the machine's capacity.
/// 0 % = quiet; 50 % on 2 cores = a neighbour kept one core busy.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100.0;   // USER_HZ on Linux
    private readonly Func<IEnumerable<int>> _ownPids;
    private (double Busy, double Total) _machine0;
    private double _own0;

    /// <summary>Creates a meter counting the given processes (besides this one) as our own.</summary>
    /// <param name="ownPids">Extra process ids whose CPU is ours (the PyTorch child).</param>
    public CpuMeter(Func<IEnumerable<int>>? ownPids = null) => _ownPids = ownPids ?? (() => []);

    /// <summary>Starts an interval.</summary>
    public void Start()
    {
        _machine0 = Machine();
        _own0 = Own();
    }

    /// <summary>Share (0..1) of the machine's CPU used by others since <see cref="Start"/>; NaN where /proc is missing.</summary>
    public double OthersShare()
    {
        var (busy1, total1) = Machine();
        double own = Own() - _own0;
        double busy = busy1 - _machine0.Busy, total = total1 - _machine0.Total;
        return total > 0 ? Math.Clamp((busy - own) / total, 0, 1) : double.NaN;
    }

    private static (double Busy, double Total) Machine()
    {
        try
        {
            var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            double idle = parts[3] + (parts.Length > 4 ? parts[4] : 0);                    // idle + iowait
            double total = parts.Take(8).Sum();                                             // user..steal
            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return (0, 0); }
    }

    private double Own() => ProcessTicks("self") + _ownPids().Sum(pid => ProcessTicks(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>utime + stime + cutime + cstime of a process, in ticks (0 if it is gone).</summary>
    private static double ProcessTicks(string pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');                    // fields from 3 (state) on
            return Enumerable.Range(11, 4).Sum(i => double.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return 0; }
    }

    /// <summary>Seconds of CPU per tick.</summary>
    public static double SecondsPerTick => 1 / TicksPerSecond;
}
