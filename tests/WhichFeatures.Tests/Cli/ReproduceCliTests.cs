using System.Text.Json;
using WhichFeatures.Cli;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Reporting;

namespace WhichFeatures.Tests.Cli;

/// <summary>The README's main job, end to end into a temp folder (two experiments, one seed, quick sizes).</summary>
[Collection("torch")]
public class ReproduceCliTests
{
    [Fact]
    public void ReproduceWritesClaimsConfigCsvPlotsAndReport()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "run");
        var run = CliHarness.InProcess("reproduce", "--quick", "--seeds", "1", "--only", "toy,joint", "--out", dir);
        Assert.Equal(CliApp.Ok, run.Code);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        // --quick says it is a smoke run wherever it prints: console (first and in the summary), reports, results.json.
        Assert.True(doc.RootElement.GetProperty("smokeRun").GetBoolean());
        Assert.StartsWith(RunWriter.SmokeRunNote, run.Out);
        Assert.Contains("claims hold in this smoke run", run.Out);
        Assert.Contains($"**{RunWriter.SmokeRunNote}**", File.ReadAllText(Path.Combine(dir, "report.md")));
        Assert.Contains("suite (smoke run)</h1>", File.ReadAllText(Path.Combine(dir, "report.html")));
        var claims = doc.RootElement.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(["TOY", "JOINT"], claims.Select(c => c.GetProperty("id").GetString()));
        foreach (var c in claims)
        {
            Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("criterion").GetString()));
            Assert.Contains(c.GetProperty("holds").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.True(c.GetProperty("values").EnumerateObject().Any());
            foreach (var v in c.GetProperty("values").EnumerateObject())
                Assert.Single(v.Value.GetProperty("perSeed").EnumerateArray());
        }
        Assert.True(claims.Single(c => c.GetProperty("id").GetString() == "TOY").GetProperty("holds").GetBoolean());
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement;
        Assert.Equal(1, config.GetProperty("seeds").GetInt32());
        Assert.True(config.GetProperty("quick").GetBoolean());
        Assert.NotEmpty(Directory.GetFiles(dir, "*.csv"));
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("JOINT", html);
        Assert.NotEmpty(Directory.GetFiles(dir, "*.png"));
        foreach (var png in Directory.GetFiles(dir, "*.png"))
            Assert.True(PngInspector.HasTitleText(File.ReadAllBytes(png)), png);
        Assert.Contains("data:image/png;base64,", html);
    }

    [Fact]
    public void OnlyASmokeRunsReportSaysSo()
    {
        var provenance = RunProvenance.Capture("test", DateTime.UtcNow);
        var full = new RunWriter.ResultsJson("theory", [], [], provenance);
        Assert.DoesNotContain(RunWriter.SmokeRunNote, MarkdownReport.Render(full));
        Assert.DoesNotContain("smoke run", HtmlReport.Render(full, Path.GetTempPath()));
        Assert.Contains(RunWriter.SmokeRunNote, MarkdownReport.Render(full with { SmokeRun = true }));
    }

    [Theory]
    [InlineData("--suite", "reproduce", "--suite", "imagenet")]
    [InlineData("--seeds", "reproduce", "--seeds", "0")]
    [InlineData("unknown theory experiment", "reproduce", "--only", "toy,nonsense")]
    [InlineData("--threads", "reproduce", "--threads", "-1")]
    [InlineData("--data-dir", "reproduce", "--suite", "real")]
    [InlineData("--data-dir", "reproduce", "--suite", "real", "--data-dir", "/nonexistent/folder")]
    [InlineData("unknown real-data experiment", "reproduce", "--suite", "real", "--data-dir", "/tmp", "--only", "nonsense")]
    [InlineData("--scale", "reproduce", "--suite", "real", "--data-dir", "/tmp", "--scale", "huge")]
    public void InvalidOptionsExitWithCode2AndOneLine(string expected, params string[] args)
    {
        using var tmp = new TempDir();
        var err = new StringWriter();
        Assert.Equal(CliApp.UserError, CliApp.Run([.. args, "--out", Path.Combine(tmp.Path, "run")], err));
        var text = err.ToString();
        Assert.Contains(expected, text);
        Assert.DoesNotContain("   at ", text);
    }
}
