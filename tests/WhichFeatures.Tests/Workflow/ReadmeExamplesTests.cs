using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Training;
using WhichFeatures.Verdicts;

namespace WhichFeatures.Tests.Workflow;

/// <summary>
/// Every <c>train</c> / <c>probe</c> / <c>compare</c> command in the README's ```bash blocks, run at tiny size (the
/// tiny CIFAR-10 folder of <see cref="TinyRun"/>, all of it, 2 epochs, batch 32, one thread), in order, with the
/// README's own options otherwise. Each train must beat its random-init probe, or say "This encoder did not learn"
/// exactly when it does not; each compare must put every run it names into its shared table.
/// </summary>
[Collection("torch")]
public class ReadmeExamplesTests
{
    private static readonly string[] Verbs = ["train", "probe", "compare"];

    /// <summary>The README's train/probe/compare invocations: the arguments after "--", continuation lines joined.</summary>
    public static List<string[]> ReadmeCommands()
    {
        var readme = FindReadme();
        var text = File.ReadAllText(readme);
        var commands = new List<string[]>();
        foreach (Match block in Regex.Matches(text, "```bash\\n(.*?)```", RegexOptions.Singleline))
        {
            var joined = Regex.Replace(block.Groups[1].Value, "\\\\\\n\\s*", " ");
            foreach (var line in joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                int dashes = line.IndexOf(" -- ", StringComparison.Ordinal);
                var args = (dashes >= 0 ? line[(dashes + 4)..] : line).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (args.Length > 0 && Verbs.Contains(args[0]) && (dashes >= 0 || line.StartsWith("whichfeatures ", StringComparison.Ordinal)))
                    commands.Add(args);
                else if (line.StartsWith("whichfeatures ", StringComparison.Ordinal) && args.Length > 1 && Verbs.Contains(args[1]))
                    commands.Add(args[1..]);
            }
        }
        return commands;
    }

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "src", "WhichFeatures")))
                return Path.Combine(dir.FullName, "README.md");
        throw new FileNotFoundException("README.md of the repository not found above the test binaries");
    }

    [Fact]
    public void EveryReadmeTrainAndProbeExampleRunsAtTinySizeAndBeatsRandomInitOrSaysItDidNot()
    {
        var commands = ReadmeCommands();
        Assert.Contains(commands, c => c[0] == "train");
        Assert.Contains(commands, c => c[0] == "probe");
        Assert.Contains(commands, c => c[0] == "compare");
        using var tmp = TinyRun.NewTemp();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        string Mapped(string path) => Path.Combine(tmp.Path, path.Replace('/', '_'));
        foreach (var readmeArgs in commands)
        {
            var args = readmeArgs.ToList();
            string Value(string option) => args[args.IndexOf(option) + 1];
            void Set(string option, string value)
            {
                int i = args.IndexOf(option);
                if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);
            }
            if (args[0] == "compare")
            {
                RunCompare(args, Mapped);
                continue;
            }
            if (args[0] == "train")
            {
                Set("--dataset", "cifar10");   // the tiny data is CIFAR-10; the README's sizes are more than it has
                foreach (var size in new[] { "--train-size", "--test-size" }) if (args.Contains(size)) Set(size, "0");
                Set("--data-dir", data);
                Set("--out", Mapped(Value("--out")));
                Set("--epochs", TinyRun.Epochs.ToString(CultureInfo.InvariantCulture));
                Set("--batch-size", TinyRun.BatchSize.ToString(CultureInfo.InvariantCulture));
                Set("--threads", "1");
                Set("--device", "cpu");
            }
            else
            {
                Set("--run", Mapped(Value("--run")));
                if (args.Contains("--labels"))
                {
                    // The user's attribute file: a numeric value per source record of the tiny data set.
                    var labels = Path.Combine(tmp.Path, Path.GetFileName(Value("--labels")));
                    File.WriteAllLines(labels, ["split,source_index,brightness",
                        .. Enumerable.Range(0, TinyRun.TrainImages).Select(i => $"train,{i},{i * 37 % 101}"),
                        .. Enumerable.Range(0, TinyRun.TestImages).Select(i => $"test,{i},{i * 37 % 101}")]);
                    Set("--labels", labels);
                }
            }
            var r = CliHarness.InProcess([.. args]);
            Assert.True(r.Code == 0, $"README example '{string.Join(' ', readmeArgs)}' failed at tiny size:\n{r.All}");
            if (args[0] != "train") continue;

            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Value("--out"), "results.json")));
            var probes = doc.RootElement.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("label").GetString()!);
            double trained = probes["class"].GetProperty("testAccuracy").GetDouble(), random = probes["class"].GetProperty("randomInit").GetDouble();
            bool healthy = doc.RootElement.GetProperty("finalHealth").GetString() == "ok";
            // The shared learnt verdict (Verdicts/LearntVerdict) on the test split's rows; anything but "learnt" warns.
            var expected = LearntVerdict.Judge(Accuracy.FromRate(trained, TinyRun.TestImages), Accuracy.FromRate(random, TinyRun.TestImages)).Outcome;
            Assert.Equal(expected.ToString(), doc.RootElement.GetProperty("learnt").GetProperty("outcome").GetString()!.Replace("-", ""), ignoreCase: true);
            bool beats = expected == LearntOutcome.Learnt && healthy;
            Assert.True(beats != r.Out.Contains("warning: "),
                $"README example '{string.Join(' ', readmeArgs)}': class probe {trained} vs random init {random}, health ok {healthy}, but the warning was {(beats ? "" : "not ")}printed:\n{r.Out}");
        }
    }

    // The README's compare on the tiny runs it trained: every run in the shared table, nothing left out.
    private static void RunCompare(List<string> args, Func<string, string> mapped)
    {
        var readme = string.Join(' ', args);
        for (int i = 1; i < args.Count; i++)
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) args[i] = mapped(args[i]);
        var r = CliHarness.InProcess([.. args]);
        Assert.True(r.Code == 0, $"README example '{readme}' failed at tiny size:\n{r.All}");
        var folders = args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var outDir = args[args.IndexOf("--out") + 1];
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, WhichFeatures.Comparison.ComparisonFiles.SummaryFile)));
        Assert.Equal(folders.Select(Path.GetFileName), doc.RootElement.GetProperty("shared").GetProperty("inputs").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("left out", r.Out);
    }
}
