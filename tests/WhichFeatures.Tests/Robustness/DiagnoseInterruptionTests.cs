using System.Diagnostics;
using WhichFeatures.Cli;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// SIGTERM (and Ctrl-C, the same handler in Cli/CliApp) stop <c>diagnose</c> within 2 seconds in the slowest step
/// (a probe fit, native L-BFGS) and write nothing: the report folder is created only after the diagnosis succeeded.
/// </summary>
[Collection("torch")]
public class DiagnoseInterruptionTests
{
    [Fact]
    public void SigtermDuringAProbeFitStopsWithinTwoSecondsAndWritesNothing()
    {
        using var tmp = DataTestFiles.NewTempDir();
        int n = 20_000, d = 128;
        using (NewDisposeScope())
        {
            // Ill-conditioned embeddings (scales 1 to 1e-3, the class read from the smallest): each probe fit takes
            // tens of seconds, so the signal lands inside one.
            var gen = new Generator(5);
            var z = randn(n, d, generator: gen);                                                 // [N, D]
            var x = (z * logspace(0, -3, d)).matmul(linalg.qr(randn(d, d, generator: gen)).Q);  // [N, D]
            var y = (z.narrow(1, d - 10, 10) + 0.3 * randn(n, 10, generator: gen)).argmax(1);   // [N]
            NpyFile.WriteFloat32(Path.Combine(tmp.Path, "emb.npy"), x.contiguous().data<float>().ToArray(), n, d);
            File.WriteAllLines(Path.Combine(tmp.Path, "labels.csv"), ["class", .. y.data<long>().ToArray().Select(v => v.ToString())]);
        }
        var outDir = Path.Combine(tmp.Path, "diag");
        using var child = CliHarness.Start(["diagnose", "--embeddings", Path.Combine(tmp.Path, "emb.npy"), "--labels", Path.Combine(tmp.Path, "labels.csv"), "--out", outDir]);
        CliHarness.WaitUntil(() => child.OutputSoFar.Contains("kNN neighbours"), "the first fold's kNN step", timeoutSeconds: 120, child: child);
        Thread.Sleep(500);                                                                        // now inside the class probe's fit
        Assert.DoesNotContain("class probe", child.OutputSoFar);
        var clock = Stopwatch.StartNew();
        child.Signal("TERM");
        var r = child.Wait(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed.TotalSeconds < 2, $"diagnose took {clock.Elapsed.TotalSeconds:0.00} s to stop after SIGTERM:\n{r.All}");
        Assert.Equal(CliApp.Interrupted, r.Code);
        Assert.Contains("interrupted.", r.Err);
        Assert.False(Directory.Exists(outDir), "an interrupted diagnosis must not leave a report folder");
    }
}
