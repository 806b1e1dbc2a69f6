using WhichFeatures.Cli.Commands;
using WhichFeatures.Core;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// One writer per run folder: while a <c>train</c> writes a folder, a second <c>train --force</c>, a
/// <c>train --resume</c>, a <c>probe</c> of it and a <c>diagnose --out</c> into it are each refused with one line naming
/// the process that writes there; a lock left behind by a killed writer is taken over.
/// </summary>
[Collection("torch")]
public class WriterLockTests
{
    [Fact]
    public void ASecondWriterIsRefusedNamingTheFirst_AndAKilledWritersLockIsTakenOver()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var outDir = tmp.Sub("run");
        var longRun = TinyRun.TrainArgs(data, outDir).Select(a => a == TinyRun.Epochs.ToString() ? "400" : a).ToArray();
        using var first = CliHarness.Start(longRun);
        CliHarness.WaitUntil(() => File.Exists(Path.Combine(outDir, "config.json")) && FolderLock.IsHeld(outDir), "the first train to hold its folder", child: first);
        string holder = $"pid {first.Process.Id}";

        CliHarness.Run(TinyRun.TrainArgs(data, outDir, "--force")).AssertUserError($"--out {outDir}", "another process is writing there", holder);
        CliHarness.Run(["train", "--resume", "--out", outDir]).AssertUserError($"--out {outDir}", "another process is writing there", holder);
        CliHarness.Run(["probe", "--run", outDir]).AssertUserError($"--run {outDir}", "another process is writing there", holder);
        var (embeddings, labels) = TinyEmbeddings(tmp.Sub("emb"));
        CliHarness.Run(["diagnose", "--embeddings", embeddings, "--labels", labels, "--folds", "2", "--out", outDir, "--force"])
            .AssertUserError($"--out {outDir}", "another process is writing there", holder);
        Assert.False(first.Process.HasExited, "the first writer should still be training");

        // Killed (SIGKILL): the kernel drops its flock; the holder file it left names a dead process and is replaced.
        first.Signal("KILL");
        first.Process.WaitForExit(30_000);
        Assert.True(File.Exists(Path.Combine(outDir, FolderLock.HolderFileName)), "a killed writer cannot clean up its holder file");
        using (var taken = OutputFolder.Lock(outDir))
            Assert.Contains($"pid {Environment.ProcessId}", FolderLock.Holder(outDir));
        Assert.False(File.Exists(Path.Combine(outDir, FolderLock.HolderFileName)), "a released lock leaves no holder file");
    }

    [Fact]
    public void LockFilesAloneDoNotMakeAFolderNonEmpty()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub("out");
        using (OutputFolder.Lock(dir)) { }
        Assert.Equal([FolderLock.FileName], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
        Assert.Equal(Path.GetFullPath(dir), OutputFolder.Prepare(dir, force: false));
    }

    // 40 rows of 4-dimensional embeddings whose first coordinate carries the class; labels id,class.
    private static (string Embeddings, string Labels) TinyEmbeddings(string dir)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 40).Select(i => (Class: i % 2, Values: new[] { i % 2 * 3.0 + rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.NextDouble() })).ToList();
        var emb = Path.Combine(dir, "emb.csv");
        File.WriteAllLines(emb, rows.Select(r => string.Join(",", r.Values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var lab = Path.Combine(dir, "labels.csv");
        File.WriteAllLines(lab, ["id,class", .. rows.Select((r, i) => $"{i},{(r.Class == 0 ? "a" : "b")}")]);
        return (emb, lab);
    }
}
