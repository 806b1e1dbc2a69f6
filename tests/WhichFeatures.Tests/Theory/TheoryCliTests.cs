using System.Text.Json;
using WhichFeatures.Cli;
using WhichFeatures.Tests.Reporting;

namespace WhichFeatures.Tests.Theory;

/// <summary>The theory verb end to end into a temp folder, and its user errors (exit code 2, one line, no stack trace).</summary>
[Collection("torch")]
public class TheoryCliTests
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), "wf-theory-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void JointRunWritesResultsAndPlots()
    {
        var dir = TempDir();
        try
        {
            Assert.Equal(CliApp.Ok, CliApp.Run(["theory", "joint", "--quick", "--out", dir]));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var claim = doc.RootElement.GetProperty("claims")[0];
            Assert.Equal("JOINT", claim.GetProperty("id").GetString());
            Assert.True(claim.GetProperty("holds").GetBoolean());
            Assert.Contains("beta", claim.GetProperty("criterion").GetString());
            Assert.True(File.Exists(Path.Combine(dir, "config.json")));
            Assert.True(File.Exists(Path.Combine(dir, "joint_beta_sweep.csv")));
            var png = File.ReadAllBytes(Path.Combine(dir, "joint_accuracy_vs_beta.png"));
            Assert.True(PngInspector.HasTitleText(png));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("--p", "joint", "--p", "0")]
    [InlineData("--beta", "joint", "--beta", "1.5")]
    [InlineData("d > n", "cc-minimizers", "--n", "400", "--d", "300")]
    [InlineData("unknown theory experiment", "nonsense")]
    [InlineData("--loss", "fs-augmentation", "--loss", "hinge")]
    public void InvalidParametersExitWithCode2AndOneLine(string expected, params string[] rest)
    {
        var dir = TempDir();
        try
        {
            var err = new StringWriter();
            int code = CliApp.Run(["theory", .. rest, "--out", dir], err);
            Assert.Equal(CliApp.UserError, code);
            Assert.Contains(expected, err.ToString());
            Assert.DoesNotContain("   at ", err.ToString());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
