using System.Globalization;
using System.Text.Json;
using WhichFeatures.Comparison;
using WhichFeatures.Tests.Reporting;
using WhichFeatures.Tests.Robustness;
using static WhichFeatures.Tests.Comparison.ComparedRuns;

namespace WhichFeatures.Tests.Comparison;

/// <summary>
/// <c>compare</c> on real tiny runs and a diagnosis: the shared table holds each input's recorded numbers and verdicts
/// exactly, other data and missing labels are named in one line and left out, the curves have one line per run that
/// measured them, and maps of the same attribute are copied and put side by side.
/// </summary>
[Collection("torch")]
public class ComparisonFlowTests(ComparedRuns runs) : IClassFixture<ComparedRuns>
{
    private static (CliResult Cli, string Dir) Compare(string dir, params string[] args)
    {
        var r = CliHarness.InProcess(["compare", .. args, "--out", dir]);
        Assert.True(r.Code == 0, r.All);
        return (r, dir);
    }

    private static JsonElement Input(JsonElement comparison, string name) =>
        comparison.GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name);

    private static JsonElement Row(JsonElement input, string label) =>
        input.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("label").GetString() == label);

    private static double? Knn(JsonElement row) => row.TryGetProperty("knn", out var k) ? k.GetDouble() : null;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public void TheSharedTableHoldsTheNumbersAndVerdictsEachResultsJsonRecords()
    {
        var (cli, dir) = Compare(runs.NewFolder("cmp"), runs.Ucl, runs.Scl, runs.Diagnosis);
        var cmp = ReadJson(Path.Combine(dir, ComparisonFiles.SummaryFile));
        Assert.Equal(["ucl", "scl", "diag-ucl"], Strings(cmp.GetProperty("shared").GetProperty("inputs")));
        var diagnosis = ReadJson(Path.Combine(runs.Diagnosis, "results.json")).GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        var trained = ReadJson(Path.Combine(runs.Ucl, "results.json")).GetProperty("probes").EnumerateArray().Select(p => p.GetProperty("label").GetString()!).ToList();
        var expectedLabels = trained.Where(l => diagnosis.ContainsKey("attribute:" + l)).ToList();
        Assert.Contains("subclass", expectedLabels);
        Assert.Equal(expectedLabels, Strings(cmp.GetProperty("shared").GetProperty("labels")));
        Assert.DoesNotContain(SharedTable.LeftOutPrefix, cli.Out);

        // Guard: the numbers differ between train and test and between the runs, so reading the wrong one would show.
        double Probe(string run, string label, string split) => ReadJson(Path.Combine(run, "results.json")).GetProperty("probes").EnumerateArray()
            .Single(p => p.GetProperty("label").GetString() == label).GetProperty(split).GetDouble();
        Assert.Contains(expectedLabels, l => Probe(runs.Ucl, l, "testAccuracy") != Probe(runs.Ucl, l, "trainAccuracy"));
        Assert.Contains(expectedLabels, l => Probe(runs.Ucl, l, "testAccuracy") != Probe(runs.Scl, l, "testAccuracy"));

        var csv = File.ReadAllLines(Path.Combine(dir, ComparisonFiles.TableFile));
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        foreach (var run in new[] { runs.Ucl, runs.Scl })
        {
            var name = Path.GetFileName(run);
            var results = ReadJson(Path.Combine(run, "results.json"));
            foreach (var label in expectedLabels)
            {
                var probe = results.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("label").GetString() == label);
                var verdict = results.GetProperty("suppression").EnumerateArray().Single(v => v.GetProperty("attribute").GetString() == label).GetProperty("text").GetString();
                double? knn = label == "class" ? results.GetProperty("knnClassAccuracy").GetDouble() : null;
                AssertRow(Row(Input(cmp, name), label), probe.GetProperty("testAccuracy").GetDouble(), knn, probe.GetProperty("randomInit").GetDouble(), "random initialisation", verdict!);
                AssertReported(csv, md, label, name, probe.GetProperty("testAccuracy").GetDouble(), verdict!);
            }
        }
        foreach (var label in expectedLabels)
        {
            var claim = diagnosis["attribute:" + label];
            double Value(string key) => claim.GetProperty("values").GetProperty(key).GetProperty("mean").GetDouble();
            AssertRow(Row(Input(cmp, "diag-ucl"), label), Value("probe_accuracy"), Value("knn_accuracy"), Value("reference_probe_accuracy"), "random initialisation", claim.GetProperty("verdict").GetString()!);
            AssertReported(csv, md, label, "diag-ucl", Value("probe_accuracy"), claim.GetProperty("verdict").GetString()!);
        }
    }

    private static void AssertRow(JsonElement row, double probe, double? knn, double reference, string referenceName, string verdict)
    {
        Assert.Equal(probe, row.GetProperty("probe").GetDouble());
        Assert.Equal(knn, Knn(row));
        Assert.Equal(reference, row.GetProperty("reference").GetDouble());
        Assert.Equal(referenceName, row.GetProperty("referenceName").GetString());
        Assert.Equal(verdict, row.GetProperty("verdict").GetString());
    }

    // shared_table.csv at round-trip precision; report.md at the reports' 4 decimals, beside the verdict.
    private static void AssertReported(string[] csv, string md, string label, string input, double probe, string verdict)
    {
        var line = csv.Single(l => l.StartsWith($"{label},{input},", StringComparison.Ordinal));
        Assert.Equal(probe, double.Parse(line.Split(',')[3], CultureInfo.InvariantCulture));
        Assert.Contains($"| {label} | {input} | {probe.ToString("0.0000", CultureInfo.InvariantCulture)} |", md);
        Assert.Contains(md.Split('\n'), l => l.StartsWith($"| {label} | {input} |", StringComparison.Ordinal) && l.EndsWith($"| {verdict} |", StringComparison.Ordinal));
    }

    [Fact]
    public void OtherDataAndALabelNotEveryInputHasAreNamedInOneLineAndLeftOut()
    {
        var (cli, dir) = Compare(runs.NewFolder("cmp"), runs.Ucl, runs.Flat, runs.RandBit);
        string flatData = ReadJson(Path.Combine(runs.Flat, "config.json")).GetProperty("dataset").GetString()!;
        string dataLine = $"{SharedTable.LeftOutPrefix}ucl-flat has dataset {flatData}, the others {flatData} (built-in superclasses)";
        string labelLine = $"{SharedTable.LeftOutPrefix}label 'randbit': only ucl-randbit has it";
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        foreach (var line in new[] { dataLine, labelLine })
        {
            Assert.Single(cli.Out.Split('\n'), l => l.TrimEnd() == line);
            Assert.Contains("\n" + line + "\n", md);
        }
        Assert.Equal(2, cli.Out.Split('\n').Count(l => l.StartsWith(SharedTable.LeftOutPrefix, StringComparison.Ordinal)));

        var cmp = ReadJson(Path.Combine(dir, ComparisonFiles.SummaryFile));
        Assert.Equal(["ucl", "ucl-randbit"], Strings(cmp.GetProperty("shared").GetProperty("inputs")));
        Assert.DoesNotContain("randbit", Strings(cmp.GetProperty("shared").GetProperty("labels")));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(dir, ComparisonFiles.TableFile)), l => l.Contains(",ucl-flat,") || l.StartsWith("randbit,"));

        // Each is still reported, in its input's own section: the flat run with its 10-way class and its own plots.
        var flatClass = ReadJson(Path.Combine(runs.Flat, "results.json")).GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("label").GetString() == "class");
        string flatSection = md[md.IndexOf("## ucl-flat: training run", StringComparison.Ordinal)..];
        Assert.Contains($"| class | {flatClass.GetProperty("classes").GetInt32()} | {flatClass.GetProperty("testAccuracy").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture)} |", flatSection);
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Flat, "probe_curves.png")), File.ReadAllBytes(Path.Combine(dir, "inputs", "ucl-flat", "probe_curves.png")));
        Assert.Contains("| randbit |", md[md.IndexOf("## ucl-randbit: training run", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void EachCurveHasOneLinePerRunThatMeasuredItAndTheDiagnosisHasNone()
    {
        var (_, dir) = Compare(runs.NewFolder("cmp"), runs.Ucl, runs.Scl, runs.Diagnosis);
        var curves = ReadJson(Path.Combine(dir, ComparisonFiles.SummaryFile)).GetProperty("curves").EnumerateArray().ToList();
        var files = curves.Select(c => c.GetProperty("file").GetString()!).ToList();
        Assert.Contains("curves_loss.png", files);
        Assert.Contains("curves_online_class.png", files);
        Assert.Contains("curves_offline_encoder_subclass.png", files);
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        foreach (var c in curves)
        {
            var file = c.GetProperty("file").GetString()!;
            Assert.True(PngInspector.HasTitleText(File.ReadAllBytes(Path.Combine(dir, file))), file);
            Assert.Contains($"<img src=\"{file}\"", html);
            var expected = new[] { runs.Ucl, runs.Scl }.Where(r => MeasuredIn(r, Column(file))).Select(r => Path.GetFileName(r)!).ToList();
            Assert.Equal(expected, Strings(c.GetProperty("series")));
        }
        // Only the UCL run probed offline every epoch, so the offline curves have its line alone.
        Assert.Equal(["ucl"], Strings(curves.Single(c => c.GetProperty("file").GetString() == "curves_offline_encoder_class.png").GetProperty("series")));
        Assert.Equal(["ucl", "scl"], Strings(curves.Single(c => c.GetProperty("file").GetString() == "curves_loss.png").GetProperty("series")));
    }

    // The metrics.csv column a curve file draws.
    private static string Column(string file) => file switch
    {
        "curves_loss.png" => "loss",
        "curves_knn_class.png" => "knn_class",
        _ when file.StartsWith("curves_online_", StringComparison.Ordinal) => "online_test_" + file["curves_online_".Length..^4],
        _ => "offline_test_" + file["curves_offline_".Length..^4],
    };

    // Whether the run's metrics.csv has a finite number in that column at some epoch.
    private static bool MeasuredIn(string run, string column)
    {
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        int i = Array.IndexOf(lines[0].Split(','), column);
        return i >= 0 && lines.Skip(1).Any(l => double.TryParse(l.Split(',')[i], CultureInfo.InvariantCulture, out var v) && double.IsFinite(v));
    }

    [Fact]
    public void MapsOfTheSameAttributeAreCopiedAndSideBySideTsneBeforePca()
    {
        // Runs and diagnoses write t-SNE maps (tsne_<attribute>.png) beside PCA maps. A fake run whose maps are known
        // images (and a PCA map it must not prefer), a diagnosis without its t-SNE files (PCA is the fallback), and a
        // run without any map.
        string CopyOf(string source, string name, Func<string, bool> keep)
        {
            var dir = runs.NewFolder(name);
            Directory.CreateDirectory(dir);
            foreach (var f in Directory.GetFiles(source).Where(f => keep(Path.GetFileName(f)))) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            return dir;
        }
        Assert.True(File.Exists(Path.Combine(runs.Diagnosis, "tsne_class.png")) && File.Exists(Path.Combine(runs.Diagnosis, "pca_class.png")));
        var fake = CopyOf(runs.Ucl, "fake-run", _ => true);
        var tsneClass = SmallPng(1);
        File.WriteAllBytes(Path.Combine(fake, "tsne_class.png"), tsneClass);
        File.WriteAllBytes(Path.Combine(fake, "tsne_subclass.png"), SmallPng(2));
        File.WriteAllBytes(Path.Combine(fake, "pca_class.png"), SmallPng(3));
        var pcaOnly = CopyOf(runs.Diagnosis, "diag-pca", f => !f.StartsWith("tsne", StringComparison.Ordinal));
        var noMap = CopyOf(runs.Scl, "scl-no-map", f => !f.StartsWith("tsne", StringComparison.Ordinal));

        var (_, dir) = Compare(runs.NewFolder("cmp"), fake, runs.Diagnosis, pcaOnly, noMap, "--name", "fake", "--name", "diag", "--name", "diagpca", "--name", "scl");
        Assert.Equal(tsneClass, File.ReadAllBytes(Path.Combine(dir, "maps", "fake", "tsne_class.png")));
        Assert.False(File.Exists(Path.Combine(dir, "maps", "fake", "pca_class.png")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Diagnosis, "tsne_class.png")), File.ReadAllBytes(Path.Combine(dir, "maps", "diag", "tsne_class.png")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs.Diagnosis, "pca_class.png")), File.ReadAllBytes(Path.Combine(dir, "maps", "diagpca", "pca_class.png")));

        var maps = ReadJson(Path.Combine(dir, ComparisonFiles.SummaryFile)).GetProperty("maps").EnumerateArray()
            .Select(m => $"{m.GetProperty("input").GetString()} {m.GetProperty("attribute").GetString()} {m.GetProperty("method").GetString()}").ToList();
        Assert.Contains("fake class t-SNE", maps);
        Assert.Contains("diag class t-SNE", maps);
        Assert.Contains("diagpca class PCA", maps);
        var row = File.ReadAllLines(Path.Combine(dir, "report.html")).Single(l => l.Contains("maps/fake/tsne_class.png"));
        Assert.Contains("maps/diag/tsne_class.png", row);
        Assert.Contains("maps/diagpca/pca_class.png", row);
        Assert.Contains("<th>scl (no map)</th>", row);
        Assert.Contains(WhichFeatures.Maps.MapSummary.Caveat, File.ReadAllText(Path.Combine(dir, "report.html")));
        Assert.Contains("| ![fake (t-SNE)](maps/fake/tsne_class.png) | ![diag (t-SNE)](maps/diag/tsne_class.png) | ![diagpca (PCA)](maps/diagpca/pca_class.png) | - |", File.ReadAllText(Path.Combine(dir, "report.md")));
    }

    private static byte[] SmallPng(int seed) => WhichFeatures.Reporting.PlotRenderer.RenderPng(new WhichFeatures.Reporting.PlotSpec("map.png", $"map {seed}", "x", "y",
        [new WhichFeatures.Reporting.PlotSeries("a", [0, 1, seed], [1, 0, seed])], Kind: WhichFeatures.Reporting.PlotKind.Scatter), 120, 90);

    [Fact]
    public void ARunWithoutResultsGivesItsCurvesAndIsNamedAsLeftOut()
    {
        var unfinished = runs.NewFolder("unfinished");
        Directory.CreateDirectory(unfinished);
        foreach (var f in new[] { "config.json", "metrics.csv" }) File.Copy(Path.Combine(runs.Scl, f), Path.Combine(unfinished, f));
        var (cli, dir) = Compare(runs.NewFolder("cmp"), "--name", "ucl", "--name", "unfinished", runs.Ucl, unfinished);   // names first: each --name takes one value
        Assert.Single(cli.Out.Split('\n'), l => l.StartsWith($"{SharedTable.LeftOutPrefix}unfinished has no per-label results", StringComparison.Ordinal));
        var loss = ReadJson(Path.Combine(dir, ComparisonFiles.SummaryFile)).GetProperty("curves").EnumerateArray().Single(c => c.GetProperty("file").GetString() == "curves_loss.png");
        Assert.Equal(["ucl", "unfinished"], Strings(loss.GetProperty("series")));
    }

    [Fact]
    public void AnInputFolderIsNeverTheReportFolder()
    {
        var before = File.ReadAllBytes(Path.Combine(runs.Scl, "report.md"));
        var r = CliHarness.InProcess("compare", runs.Ucl, runs.Scl, "--out", runs.Scl, "--force");
        r.AssertUserError($"--out {runs.Scl}: is the input scl");
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(runs.Scl, "report.md")));
    }
}
