using System.Globalization;
using System.Text.Json;
using WhichFeatures.Cli;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Training;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Tests.Workflow;

/// <summary>
/// The train -> probe workflow a researcher meets first, end to end on the tiny CIFAR-10 folder of
/// <see cref="TinyRun"/> (160 / 64 images; class c = record index mod 10, so labels can be checked independently).
/// </summary>
[Collection("torch")]
public class WorkflowCliTests
{
    private static string[] Train(string data, string outDir, params string[] extra) =>
        Replace(TinyRun.TrainArgs(data, outDir, "--superclasses", "--loss", "scl", "--temperature", "0.1"), extra);

    /// <summary><paramref name="args"/> with each "--option value" pair of <paramref name="changes"/> replacing the option's value (or appended).</summary>
    private static string[] Replace(string[] args, params string[] changes)
    {
        var list = args.ToList();
        for (int c = 0; c < changes.Length; c += 2)
        {
            int i = list.IndexOf(changes[c]);
            if (i >= 0) list[i + 1] = changes[c + 1];
            else list.AddRange([changes[c], changes[c + 1]]);
        }
        return [.. list];
    }

    private static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(t => t.First, t => t.Second)).ToList();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void TrainRunRecordsHealthSamplesBaselinesAndAVerdict_WithoutNativeWarnings()
    {
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var run = Path.Combine(tmp.Path, "run");
        var r = CliHarness.Run(Train(data, run), timeoutSeconds: 300);   // a child process: native stderr is captured too
        Assert.True(r.Code == 0, r.All);
        Assert.DoesNotContain("Optimizer::parameters()", r.All);
        Assert.DoesNotContain("Warning:", r.Err);
        // libtorch's own log lines ("[W1206 09:38:58.85 NNPACK.cpp:56] Could not initialize NNPACK!" on an AVX-512 AMD EPYC).
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"(?m)^\[[WE]\d{4} "), r.Err);

        // Health: flagged exactly when the epoch's mean loss is within 0.01 of ln(2B - 1), B = 32.
        var metrics = Csv(Path.Combine(run, "metrics.csv"));
        Assert.Equal(TinyRun.Epochs, metrics.Count);
        foreach (var m in metrics)
            Assert.Equal(Math.Abs(D(m["loss"]) - Math.Log(2 * TinyRun.BatchSize - 1)) < 0.002, m["health"].Contains("loss-at-uniform"));
        // lr at a stated point, the epoch's last step: warm-up (1 epoch) ends at the peak 0.3, the cosine ends at 0.
        Assert.Equal(0.3, D(metrics[0]["lr_last_step"]), 12);
        Assert.Equal(0.0, D(metrics[^1]["lr_last_step"]), 12);
        // One loss: the epoch line prints the CSV's loss.
        foreach (var m in metrics)
            Assert.Contains($"epoch {m["epoch"]}: loss {D(m["loss"]).ToString("0.0000", CultureInfo.InvariantCulture)} (mean over the epoch)", r.Out);

        // ... and the progress line ends each epoch on the same mean (plain progress lines in a child process).
        Assert.Contains($"epoch {TinyRun.Epochs}/{TinyRun.Epochs} loss {D(metrics[^1]["loss"]).ToString("0.0000", CultureInfo.InvariantCulture)} (epoch mean so far)", r.All);

        // samples.csv: every loaded example, its source record, and labels that agree with how the files were written.
        var samples = Csv(Path.Combine(run, "samples.csv"));
        Assert.Equal(TinyRun.TrainImages + TinyRun.TestImages, samples.Count);
        Assert.All(samples, s => Assert.Equal(long.Parse(s["source_index"], CultureInfo.InvariantCulture) % 10, long.Parse(s["subclass"], CultureInfo.InvariantCulture)));

        // Baselines per label: chance and majority recomputed from samples.csv; random init present.
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        foreach (var p in doc.RootElement.GetProperty("probes").EnumerateArray())
        {
            var label = p.GetProperty("label").GetString()!;
            var train = samples.Where(s => s["split"] == "train").Select(s => s[label]).ToList();
            var test = samples.Where(s => s["split"] == "test").Select(s => s[label]).ToList();
            var majority = train.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => long.Parse(g.Key, CultureInfo.InvariantCulture)).First().Key;
            Assert.Equal(1.0 / train.Distinct().Count(), p.GetProperty("chance").GetDouble(), 12);
            Assert.Equal(test.Count(v => v == majority) / (double)test.Count, p.GetProperty("majority").GetDouble(), 12);
            Assert.InRange(p.GetProperty("randomInit").GetDouble(), 0, 1);
        }
        AssertNoEmptyFields(doc.RootElement, "results.json");

        // The report: the collapse line with its threshold, and a final line that agrees with the numbers.
        var report = File.ReadAllLines(Path.Combine(run, "report.md")).Where(l => l.Length > 0).ToList();
        Assert.Contains(report, l => l.StartsWith("Subclass collapse: ") && l.Contains("at random initialisation") && l.Contains("lies below −0.02"));
        var probes = doc.RootElement.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("label").GetString()!);
        int testRows = samples.Count(s => s["split"] == "test");
        var outcome = LearntVerdict.Judge(Accuracy.FromRate(probes["class"].GetProperty("testAccuracy").GetDouble(), testRows),
            Accuracy.FromRate(probes["class"].GetProperty("randomInit").GetDouble(), testRows)).Outcome;
        bool healthy = metrics[^1]["health"] == "ok";
        Assert.StartsWith(!healthy || outcome == LearntOutcome.NotLearnt ? "**This encoder did not learn" : outcome == LearntOutcome.Undecided ? "**" + RunReport.Undecided : "**The encoder learnt", report[^1]);
        Assert.Equal(!healthy || outcome != LearntOutcome.Learnt, r.Out.Contains("warning: "));
        Assert.Contains("# Training run: SCL", report[0]);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    private static void AssertNoEmptyFields(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(e.EnumerateObject().Any(), $"{path} is an empty object");
                foreach (var p in e.EnumerateObject()) AssertNoEmptyFields(p.Value, path + "." + p.Name);
                break;
            case JsonValueKind.Array:
                Assert.True(e.GetArrayLength() > 0, $"{path} is an empty array");
                foreach (var (x, i) in e.EnumerateArray().Select((x, i) => (x, i))) AssertNoEmptyFields(x, $"{path}[{i}]");
                break;
            case JsonValueKind.String:
                Assert.False(string.IsNullOrEmpty(e.GetString()), $"{path} is an empty string");
                break;
        }
    }

    [Fact]
    public void ProbeLinesUpUserAttributesBySourceIndex_RefusesRawNumbersOrBinsThem_AndKeepsEveryProbeInTheReport()
    {
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var run = Path.Combine(tmp.Path, "run");
        Assert.Equal(0, CliHarness.InProcess(Train(data, run, "--train-size", "120", "--epochs", "1")).Code);

        // Attributes computed from the dataset files: one row per source record (not only the 120 the run loaded).
        var attrs = Path.Combine(tmp.Path, "brightness.csv");
        File.WriteAllLines(attrs, ["split,source_index,brightness,tens",
            .. Enumerable.Range(0, TinyRun.TrainImages).Select(i => $"train,{i},{(i * 7919 % 1000) / 10.0},{i % 10 / 5}"),
            .. Enumerable.Range(0, TinyRun.TestImages).Select(i => $"test,{i},{(i * 104729 % 1000) / 10.0},{i % 10 / 5}")]);
        var refused = CliHarness.InProcess("probe", "--run", run, "--labels", attrs);
        refused.AssertUserError("brightness", "numeric", "--bins");
        Assert.Single(refused.Err.TrimEnd().Split('\n'));

        var ok = CliHarness.InProcess("probe", "--run", run, "--labels", attrs, "--bins", "3");
        Assert.True(ok.Code == 0, ok.All);
        Assert.Contains("40 rows", ok.Out);   // 160 - 120 training records the run did not load
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "probe-brightness.json"))))
        {
            var root = doc.RootElement;
            Assert.Equal(attrs, root.GetProperty("labelsFile").GetString());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(attrs))), root.GetProperty("labelsSha256").GetString());
            Assert.Equal("source_index", root.GetProperty("indexColumn").GetString());
            Assert.Equal(3, root.GetProperty("bins").GetInt32());
            var user = root.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("label").GetString() == "user:brightness");
            Assert.Equal(3, user.GetProperty("classes").GetInt32());
            Assert.Equal(1.0 / 3, user.GetProperty("chance").GetDouble(), 9);
        }
        // A second labels file: both probes stay, in report.md and results.json.
        var parity = Path.Combine(tmp.Path, "parity.csv");
        File.WriteAllLines(parity, ["split,position,odd", .. Enumerable.Range(0, 120).Select(i => $"train,{i},{i % 2}"), .. Enumerable.Range(0, TinyRun.TestImages).Select(i => $"test,{i},{i % 2}")]);
        Assert.Equal(0, CliHarness.InProcess("probe", "--run", run, "--labels", parity).Code);
        var report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("user:brightness", report);
        Assert.Contains("user:odd", report);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        Assert.Equal(2, results.RootElement.GetProperty("laterProbes").GetArrayLength());

        // --run given a file inside the run folder: say to pass the folder.
        CliHarness.InProcess("probe", "--run", Path.Combine(run, "config.json")).AssertUserError("is a file", "pass the run folder");
    }

    [Fact]
    public void ResumeTakesMissingOptionsFromConfigJsonAndNamesEveryOptionThatDiffers()
    {
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var run = Path.Combine(tmp.Path, "run");
        Assert.Equal(0, CliHarness.InProcess(Train(data, run, "--epochs", "1")).Code);

        CliHarness.InProcess("train", "--resume", "--out", run, "--lr", "0.1", "--temperature", "0.1")
            .AssertUserError("--lr 0.1 (the run has 0.3)", "differs");
        var both = CliHarness.InProcess("train", "--resume", "--out", run, "--lr", "0.1", "--epochs", "5");
        both.AssertUserError("--lr 0.1", "--epochs 5 (the run has 1)");
        CliHarness.InProcess("train", "--resume", "--force", "--out", run).AssertUserError("--resume and --force");

        // Only --out: everything else (here --superclasses, --loss scl, the tiny batch) comes from config.json.
        var resumed = CliHarness.InProcess("train", "--resume", "--out", run);
        Assert.True(resumed.Code == 0, resumed.All);
        Assert.Contains("resumed from epoch 1", resumed.Out);
    }

    [Fact]
    public void TyposGetASuggestionAndAStrayValueGivesOneLine()
    {
        var r = CliHarness.InProcess("train", "--superclass", "--data-dir", "x");
        r.AssertUserError("unknown option --superclass", "did you mean --superclasses?");
        var stray = CliHarness.InProcess("train", "--temprature", "0.1", "--data-dir", "x");
        stray.AssertUserError("did you mean --temperature?");
        Assert.Single(stray.Err.TrimEnd().Split('\n'));
        CliHarness.InProcess("trian").AssertUserError("unknown command 'trian'", "did you mean 'train'?");
        var value = CliHarness.InProcess("train", "stray", "--data-dir", "x");
        value.AssertUserError("unexpected value 'stray'");
        Assert.Single(value.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void ARunThatFailsBeforeItStartsLeavesNoFolder()
    {
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var badName = Path.Combine(tmp.Path, "bad-name");
        CliHarness.InProcess(Replace(TinyRun.TrainArgs(data, badName), "--dataset", "cifar11")).AssertUserError("cifar11");
        Assert.False(Directory.Exists(badName));
        var bigBatch = Path.Combine(tmp.Path, "big-batch");
        CliHarness.InProcess(Replace(TinyRun.TrainArgs(data, bigBatch), "--batch-size", "1000")).AssertUserError("--batch-size");
        Assert.False(Directory.Exists(bigBatch));
    }
}
