using System.Diagnostics;

namespace WhichFeatures.Training;

/// <summary>
/// Test-only fault points, switched on by environment variables, so that the robustness tests can kill or pause
/// a real training process at an exact place (a given step, half-way through a checkpoint write, before the final
/// evaluation) instead of guessing with timers. Unset variables cost one cached lookup per call.
/// </summary>
/// <remarks>
/// <c>WHICHFEATURES_TEST_CRASH_AT=point</c>: the process kills itself with SIGKILL on reaching <c>point</c>
/// (no finally blocks, no flushing: a real crash). <c>WHICHFEATURES_TEST_PAUSE_AT=point</c>: on reaching
/// <c>point</c> the process writes <see cref="PauseMarker"/> into the run folder and waits (up to a minute) for
/// cancellation, then removes the marker, so a test can send SIGINT at a known step. Points: <c>step:N</c> (after global step N),
/// <c>checkpoint-write:E</c> (half of the checkpoint file after epoch E written; <c>E-S</c> for a mid-epoch one),
/// <c>checkpoint-checksum:E</c> (that checkpoint renamed into place, its .sha256 not yet written), <c>final-evaluation</c>.
/// </remarks>
public static class FaultInjection
{
    /// <summary>Environment variable naming the point at which the process kills itself.</summary>
    public const string CrashVariable = "WHICHFEATURES_TEST_CRASH_AT";
    /// <summary>Environment variable naming the point at which the process pauses until cancelled.</summary>
    public const string PauseVariable = "WHICHFEATURES_TEST_PAUSE_AT";
    /// <summary>File written into the run folder when a pause point is reached.</summary>
    public const string PauseMarker = ".paused";

    private static readonly string? CrashAt = Environment.GetEnvironmentVariable(CrashVariable);
    private static readonly string? PauseAt = Environment.GetEnvironmentVariable(PauseVariable);

    /// <summary>Kills the process with SIGKILL if <see cref="CrashVariable"/> names <paramref name="point"/>.</summary>
    public static void CrashIf(string point)
    {
        if (CrashAt is null || CrashAt != point) return;
        Console.Error.WriteLine($"[fault injection] SIGKILL at {point}");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();   // SIGKILL on Unix: nothing after this line runs
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>
    /// If <see cref="PauseVariable"/> names <paramref name="point"/>: writes <see cref="PauseMarker"/> into
    /// <paramref name="runDir"/> and waits until <paramref name="ct"/> is cancelled (at most a minute).
    /// </summary>
    public static void PauseIf(string point, string runDir, CancellationToken ct)
    {
        if (PauseAt is null || PauseAt != point) return;
        var marker = Path.Combine(runDir, PauseMarker);
        File.WriteAllText(marker, point);
        ct.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
        File.Delete(marker);
    }
}
