using System.Text.Json;
using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Reporting;

public class ReportingTests
{
    private static PlotSpec Spec(string title, bool logX = false) => new(
        "p.png", title, "step", "accuracy",
        [new PlotSeries("GD", [1, 10, 100, 1000], [0.6, 0.99, 0.8, 0.7]), new PlotSeries("SGD", [1, 10, 100, 1000], [0.5, 0.9, double.NaN, 0.65])],
        LogX: logX, ReferenceLines: [new ReferenceLine("min-norm", 0.55)], YMin: 0, YMax: 1);

    [Fact]
    public void PlotHasTextInTitleBandOnlyWhenThereIsATitle()
    {
        var withTitle = PlotRenderer.RenderPng(Spec("Subclass accuracy over GD steps", logX: true));
        var without = PlotRenderer.RenderPng(Spec(""));
        Assert.True(PngInspector.HasTitleText(withTitle), "no title text drawn: is a font (fonts-dejavu-core) installed?");
        Assert.True(PngInspector.DarkPixelsInBand(withTitle, 0, 40) > PngInspector.DarkPixelsInBand(without, 0, 40) + 40);
    }

    [Fact]
    public void LongTitlesAndAxisLabelsAreShrunkToFitInsteadOfClipped()
    {
        // The real suite's titles and y labels (e.g. the CC curve's) ran off the 720 x 480 image before they were fitted.
        const string title = "Subclass accuracy over training, fresh offline probe on the projection output of every epoch";
        const string yLabel = "class linear-probe test accuracy (encoder output), mean over seeds";
        var spec = Spec(title) with { YLabel = yLabel };
        var png = PlotRenderer.RenderPng(spec);
        Assert.True(PngInspector.HasTitleText(png));
        // Text that runs off an edge leaves ink in the last pixels of that edge: the title at the left and right of its
        // band, the y label at the top of the image.
        Assert.Equal(0, PngInspector.DarkPixelsInRect(png, 0, 0, 3, 40));
        Assert.Equal(0, PngInspector.DarkPixelsInRect(png, PlotRenderer.Width - 3, 0, PlotRenderer.Width, 40));
        Assert.Equal(0, PngInspector.DarkPixelsInRect(png, 0, 0, 40, 3));
    }

    [Fact]
    public void CsvRoundTripsNumbersAndQuotesText()
    {
        var t = new DataTable("curve", "step", "label", "acc").Add(1, "a,b", 0.1).Add(2, "say \"hi\"", double.NaN);
        var lines = CsvWriter.ToCsv(t).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("step,label,acc", lines[0]);
        Assert.Equal("1,\"a,b\",0.1", lines[1]);
        Assert.Equal("2,\"say \"\"hi\"\"\",NaN", lines[2]);
        Assert.Throws<ArgumentException>(() => t.Add(1, 2));
    }

    [Fact]
    public void StatSummarisesSeeds()
    {
        var s = Stat.Of([1.0, 2.0, 4.0]);
        Assert.Equal(7.0 / 3, s.Mean, 12);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(4.0, s.Max);
        Assert.Equal(Math.Sqrt(((1 - 7.0 / 3) * (1 - 7.0 / 3) + (2 - 7.0 / 3) * (2 - 7.0 / 3) + (4 - 7.0 / 3) * (4 - 7.0 / 3)) / 2), s.Std, 12);
        Assert.Throws<ArgumentException>(() => Stat.Of([]));
    }

    [Fact]
    public void RunWriterWritesClaimsTablesPlotsAndReports()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wf-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var r = new ExperimentResult { Name = "demo" };
            r.Claims.Add(new ClaimResult
            {
                Id = "CC-3", Statement = "GD learns then unlearns subclasses", Criterion = "peak >= 0.9 and final <= peak - 0.2",
                Holds = true, Method = "spectral SCL, GD", Values = [new("peak", Stat.Of([0.95, 0.97, 0.99]))], Plots = ["p.png"],
            });
            r.Tables.Add(new DataTable("curve", "step", "acc").Add(1, 0.5));
            r.Plots.Add(Spec("Subclass accuracy"));
            var path = RunWriter.Write(dir, "theory", [r], new { seeds = 3 });

            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var claim = doc.RootElement.GetProperty("claims")[0];
            Assert.Equal("CC-3", claim.GetProperty("id").GetString());
            Assert.True(claim.GetProperty("holds").GetBoolean());
            Assert.Equal(0.97, claim.GetProperty("values").GetProperty("peak").GetProperty("mean").GetDouble(), 9);
            Assert.Equal(3, JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))).RootElement.GetProperty("seeds").GetInt32());
            Assert.True(File.Exists(Path.Combine(dir, "curve.csv")));
            Assert.True(PngInspector.HasTitleText(File.ReadAllBytes(Path.Combine(dir, "p.png"))));
            var html = File.ReadAllText(Path.Combine(dir, "report.html"));
            Assert.Contains("data:image/png;base64,", html);
            Assert.Contains("peak &gt;= 0.9", html);
            Assert.Contains("CC-3", File.ReadAllText(Path.Combine(dir, "report.md")));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void AtomicWriteLeavesTheOldFileWhenTheWriterThrows()
    {
        var path = Path.Combine(Path.GetTempPath(), "wf-atomic-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            AtomicFile.WriteAllText(path, "old");
            Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new IOException("disk full"); }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "*.tmp"));
        }
        finally { File.Delete(path); }
    }
}
