using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// Worker processes (src/WhichFeatures/Sweeps/SweepWorkerProcesses.cs) on a stand-in program that exits at once: its
/// output still arriving after the exit once closed the log under it and crashed the test host.
/// </summary>
public class SweepWorkerProcessesTests
{
    [Fact]
    public void Each_worker_runs_sweep_run_all_with_its_output_in_its_own_log()
    {
        if (OperatingSystem.IsWindows()) return;
        using var tmp = DataTestFiles.NewTempDir();
        // A stand-in program: prints the arguments it was given and exits with 3.
        var program = new ProgramCommand("/bin/sh", ["-c", "echo \"$@\"; echo oops >&2; exit 3", "sh"]);
        IReadOnlyList<int> codes;
        using (var workers = new SweepWorkerProcesses(tmp.Path, 2, program)) codes = workers.WaitForAll();
        Assert.Equal([3, 3], codes);
        foreach (var n in new[] { 1, 2 })
        {
            var log = File.ReadAllText(Path.Combine(tmp.Path, "workers", $"worker-{n}.log"));
            Assert.Contains($"sweep run {tmp.Path} --all", log);
            Assert.Contains("oops", log);
        }
    }
}
