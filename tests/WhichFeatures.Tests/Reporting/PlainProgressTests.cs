using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Reporting;

public class PlainProgressTests
{
    // The ETA is the time left at the rate so far: elapsed / fraction - elapsed.
    [Theory]
    [InlineData(60.0, 0.5, ", ETA 01:00")]
    [InlineData(30.0, 0.25, ", ETA 01:30")]
    [InlineData(600.0, 0.1, ", ETA 1:30:00")]      // over an hour: hours shown, not wrapped to 30:00
    [InlineData(10.0, 0.01, "")]                   // under 5 % done: start-up dominates, no ETA
    [InlineData(10.0, 1.0, "")]
    public void EtaTextExtrapolatesTheRateSoFar(double elapsed, double fraction, string expected) =>
        Assert.Equal(expected, PlainProgress.EtaText(elapsed, fraction));

    // Lines come from the task's own clock: at most one per minSecondsBetweenLines, the first at once, and the
    // last says how long the task took.
    [Fact]
    public void LinesFollowTheClockAndTheFractionDone()
    {
        double t = 100;
        var output = new StringWriter();
        var progress = new PlainProgress(output, minSecondsBetweenLines: 5, clock: () => t);
        using (var task = progress.Start("unit", total: 100))
        {
            t += 20; task.Increment(1);                                                           // 1 % after 20 s (start-up)
            t += 1; task.Increment(9);                                                            // within 5 s: no line
            t += 9; task.Increment(40, "epoch 2");                                                // 50 % after 30 s
            t += 30;
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(']') + 2)..].TrimEnd('\r')).ToArray();
        Assert.Equal(new[] { "unit: started", "unit: 1 %", "unit: 50 %, ETA 00:30  epoch 2", "unit: done in 60.0 s  epoch 2" }, lines);
    }

    // A run stopped by Ctrl-C / SIGTERM leaves its unfinished tasks to the resume: their last line must not read as
    // finished. A task that did all its work before the stop still says "done in".
    [Fact]
    public void A_task_the_stop_cut_short_ends_interrupted_and_a_finished_one_done()
    {
        double t = 0;
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        var progress = new PlainProgress(output, minSecondsBetweenLines: 1000, clock: () => t, stopping: stop.Token);
        var finished = progress.Start("finished", total: 2);
        using (var cut = progress.Start("cut", total: 8))
        {
            t += 10; finished.Increment(2); cut.Increment(3, "epoch 1");
            t += 24.4; stop.Cancel();
            finished.Dispose();
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(']') + 2)..].TrimEnd('\r')).ToArray();
        Assert.Equal(new[] { "finished: started", "cut: started", "finished: 100 %", "cut: 37 %, ETA 00:17  epoch 1", "finished: done in 34.4 s", "cut: interrupted after 34.4 s at 37 %  epoch 1" }, lines);
    }
}
