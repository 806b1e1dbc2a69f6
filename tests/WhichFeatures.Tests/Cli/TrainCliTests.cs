using System.Text.Json;
using WhichFeatures.Cli;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Cli;

/// <summary>The train verb end to end on the CIFAR-10 files in ../shared/data, and exact resume after the first epoch.</summary>
[Collection("torch")]
public class TrainCliTests
{
    private static string[] Args(string cifar, string outDir, params string[] extra) =>
    [
        "train", "--dataset", "cifar10", "--data-dir", cifar, "--superclasses", "--train-size", "600", "--test-size", "300",
        "--epochs", "2", "--batch-size", "100", "--model", "convnet", "--seed", "3", "--out", outDir, .. extra,
    ];

    private static string[][] Rows(string csv) =>
        File.ReadAllLines(csv).Select(l => l.Split(',')).ToArray();

    [SkippableFact]
    public void TrainsEndToEndAndResumeAfterTheFirstEpochEqualsTheUninterruptedRun()
    {
        var shared = DataTestFiles.SharedData();
        var cifar = shared is null ? null : Path.Combine(shared, "cifar-10-batches-bin");
        Skip.If(cifar is null || !Directory.Exists(cifar), "../shared/data/cifar-10-batches-bin not found (a fresh clone without the shared data)");
        using var tmp = new TempDir();
        var full = Path.Combine(tmp.Path, "full");

        Assert.Equal(CliApp.Ok, CliApp.Run(Args(cifar!, full)));

        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(full, "results.json"))))
        {
            var probes = doc.RootElement.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("label").GetString()!, p => p.GetProperty("testAccuracy").GetDouble());
            Assert.Equal(["class", "subclass"], probes.Keys.Order());
            Assert.InRange(probes["class"], 0.0, 1.0);
            Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetInt32());
            Assert.Contains("L-BFGS", doc.RootElement.GetProperty("probeProtocol").GetString());
        }
        var fullRows = Rows(Path.Combine(full, "metrics.csv"));
        Assert.Equal(3, fullRows.Length); // header + 2 epochs
        Assert.True(PngInspector.HasTitleText(File.ReadAllBytes(Path.Combine(full, "probe_curves.png"))));
        Assert.Equal(2, JsonDocument.Parse(File.ReadAllText(Path.Combine(full, "config.json"))).RootElement.GetProperty("epochs").GetInt32());

        // A run that stopped after epoch 1: its folder holds the config and the first checkpoint only.
        var resumed = Path.Combine(tmp.Path, "resumed");
        Directory.CreateDirectory(resumed);
        foreach (var f in new[] { "config.json", Checkpoint.FileName(1), Checkpoint.FileName(1) + ".sha256" })
            File.Copy(Path.Combine(full, f), Path.Combine(resumed, f));
        Assert.Equal(CliApp.Ok, CliApp.Run(Args(cifar!, resumed, "--resume")));

        var resumedRows = Rows(Path.Combine(resumed, "metrics.csv"));
        var header = fullRows[0];
        string[] exact = ["epoch", "step", "loss", "lr_last_step", "knn_class", "health", .. header.Where(h => h.StartsWith("online_test_"))];
        foreach (var col in exact)
        {
            int c = Array.IndexOf(header, col);
            for (int r = 1; r < fullRows.Length; r++)
                Assert.True(fullRows[r][c] == resumedRows[r][c], $"{col} at epoch {r}: uninterrupted {fullRows[r][c]}, resumed {resumedRows[r][c]}");
        }
    }

    [SkippableFact]
    public void ProbeVerbScoresDatasetLabelsAndAUsersOwnAttributes()
    {
        var shared = DataTestFiles.SharedData();
        var cifar = shared is null ? null : Path.Combine(shared, "cifar-10-batches-bin");
        Skip.If(cifar is null || !Directory.Exists(cifar), "../shared/data/cifar-10-batches-bin not found");
        using var tmp = new TempDir();
        var run = Path.Combine(tmp.Path, "run");
        Assert.Equal(CliApp.Ok, CliApp.Run(Args(cifar!, run).Select(a => a == "2" ? "1" : a).ToArray()));

        // The user's attribute: "is it a cat or a dog" (CIFAR-10 labels 3, 5), known only for those, from the run's labels.
        var train = WhichFeatures.Training.TrainData.Load(WhichFeatures.Training.RunProber.ReadConfig(run));
        var (tr, te) = train;
        var csv = new System.Text.StringBuilder("split,index,pet,parity\n");
        foreach (var (split, ds) in new[] { ("train", tr), ("test", te) })
        {
            var sub = ds.Label("subclass").data<long>().ToArray();
            for (int i = 0; i < sub.Length; i++)
                csv.Append($"{split},{i},{(sub[i] == 3 ? "cat" : sub[i] == 5 ? "dog" : "")},{(i % 2 == 0 ? "even" : "odd")}\n");
        }
        tr.Dispose(); te.Dispose();
        var labels = Path.Combine(tmp.Path, "labels.csv");
        File.WriteAllText(labels, csv.ToString());

        Assert.Equal(CliApp.Ok, CliApp.Run(["probe", "--run", run, "--labels", labels]));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "probe-labels.json")));
        var probes = doc.RootElement.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("label").GetString()!, p => p);
        Assert.Equal(["class", "subclass", "user:parity", "user:pet"], probes.Keys.Order());
        Assert.Equal(2, probes["user:pet"].GetProperty("classes").GetInt32());
        // Parity of the position is not in the image: its test accuracy must stay near chance.
        Assert.InRange(probes["user:parity"].GetProperty("testAccuracy").GetDouble(), 0.35, 0.65);

        // A malformed CSV is a user error naming the line and column.
        File.WriteAllText(labels, "split,index,pet\nvalidation,0,cat\n");
        var err = new StringWriter();
        Assert.Equal(CliApp.UserError, CliApp.Run(["probe", "--run", run, "--labels", labels], err));
        Assert.Contains("line 2, column 'split'", err.ToString());
    }

    [SkippableFact]
    public void RefusesANonEmptyOutputFolderWithoutForceOrResume()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null, "../shared/data not found");
        using var tmp = new TempDir();
        File.WriteAllText(Path.Combine(tmp.Path, "keep.txt"), "user data");
        var err = new StringWriter();
        Assert.Equal(CliApp.UserError, CliApp.Run(Args(Path.Combine(shared!, "cifar-10-batches-bin"), tmp.Path), err));
        Assert.Contains("not empty", err.ToString());
        Assert.Equal("user data", File.ReadAllText(Path.Combine(tmp.Path, "keep.txt")));
    }
}
