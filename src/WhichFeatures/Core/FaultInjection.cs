using System.Diagnostics;

namespace WhichFeatures.Core;

/// <summary>
/// The fault hooks: <see cref="None"/>, and test-only fault points switched on by environment variables, so that the
/// robustness tests can kill or pause a real training process at an exact place (a given step, half-way through a
/// checkpoint write, before the final evaluation) instead of guessing with timers.
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

    /// <summary>The hook that does nothing.</summary>
    public static IFaultHook None { get; } = new NoFaults();

    /// <summary>
    /// The hook the environment variables describe for a run in <paramref name="runDir"/> (where a pause writes its
    /// marker); <see cref="None"/> when neither is set.
    /// </summary>
    public static IFaultHook FromEnvironment(string runDir)
    {
        var crashAt = Environment.GetEnvironmentVariable(CrashVariable);
        var pauseAt = Environment.GetEnvironmentVariable(PauseVariable);
        return crashAt is null && pauseAt is null ? None : new EnvironmentFaults(crashAt, pauseAt, runDir);
    }

    private sealed class NoFaults : IFaultHook
    {
        public void Reached(string point, CancellationToken ct = default) { }
    }

    private sealed class EnvironmentFaults(string? crashAt, string? pauseAt, string runDir) : IFaultHook
    {
        public void Reached(string point, CancellationToken ct = default)
        {
            if (crashAt == point)
            {
                Console.Error.WriteLine($"[fault injection] SIGKILL at {point}");
                Console.Error.Flush();
                Process.GetCurrentProcess().Kill();   // SIGKILL on Unix: nothing after this line runs
                Thread.Sleep(Timeout.Infinite);
            }
            if (pauseAt == point)
            {
                var marker = Path.Combine(runDir, PauseMarker);
                File.WriteAllText(marker, point);
                ct.WaitHandle.WaitOne(TimeSpan.FromMinutes(1));
                File.Delete(marker);
            }
        }
    }
}
