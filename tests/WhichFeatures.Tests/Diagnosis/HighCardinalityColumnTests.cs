using System.Diagnostics;
using System.Text;
using WhichFeatures.Diagnosis;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>
/// A label column that is not a set of categories: an id under another name (one value per row), or a numeric
/// measurement with many values. <c>diagnose</c> refuses it at once, naming the column and the way out, instead of
/// probing a 3,000-class attribute; a numeric one is diagnosed as quantile bins on request, as <c>probe</c> does.
/// </summary>
[Collection("torch")]
public class HighCardinalityColumnTests
{
    private const int Rows = 3000, Dims = 256;

    private static (string Embeddings, string Labels) Write(string dir, Func<int, string> extra, string extraName)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(4);
        var x = new float[Rows * Dims];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        var emb = Path.Combine(dir, "emb.npy");
        NpyFile.WriteFloat32(emb, x, Rows, Dims);
        var sb = new StringBuilder($"{extraName},class,subclass\n");
        for (int i = 0; i < Rows; i++) sb.Append($"{extra(i)},c{i % 2},s{i % 4}\n");
        var lab = Path.Combine(dir, "labels.csv");
        File.WriteAllText(lab, sb.ToString());
        return (emb, lab);
    }

    [Fact]
    public void AnIdColumnUnderAnotherNameIsRefusedWithinSeconds()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (emb, lab) = Write(tmp.Sub("in"), i => $"img_{i:D5}", "image_id");
        var outDir = Path.Combine(tmp.Path, "out");
        var clock = Stopwatch.StartNew();
        var r = CliHarness.InProcess("diagnose", "--embeddings", emb, "--labels", lab, "--out", outDir);
        r.AssertUserError($"--labels {lab}", "'image_id'", "3000 distinct values", "--id-column image_id");
        Assert.True(clock.Elapsed.TotalSeconds < 30, $"refused after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.False(Directory.Exists(outDir));

        // Named as the id, it is skipped and the diagnosis runs on class and subclass.
        var ok = DiagnoseInputs.FromFiles(emb, lab, null, null, idColumn: "image_id");
        using var train = ok.Train;
        Assert.Equal(["class", "subclass"], train.Attributes.Select(a => a.Name));
    }

    [Fact]
    public void ANumericColumnOfManyValuesIsRefusedOrBinnedOnRequest()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (emb, lab) = Write(tmp.Sub("in"), i => (i * 0.37 % 100).ToString("R", System.Globalization.CultureInfo.InvariantCulture), "brightness");
        var refused = CliHarness.InProcess("diagnose", "--embeddings", emb, "--labels", lab, "--out", Path.Combine(tmp.Path, "out"));
        refused.AssertUserError("'brightness'", "numeric", "--bins N");

        var (train, _) = DiagnoseInputs.FromFiles(emb, lab, null, null, bins: 4);
        using (train)
        {
            var b = train.Attributes.Single(a => a.Name == "brightness");
            Assert.Equal(["q1", "q2", "q3", "q4"], b.Categories);
            // Quartile bins of 3,000 distinct values: 750 rows each.
            Assert.All(Enumerable.Range(0, 4), k => Assert.Equal(750, b.Codes.Count(c => c == k)));
        }
        var badBins = CliHarness.InProcess("diagnose", "--embeddings", emb, "--labels", lab, "--bins", "1", "--out", Path.Combine(tmp.Path, "out2"));
        badBins.AssertUserError("--bins 1", "at least 2");
    }

    [Fact]
    public void ManyCategoriesWithEnoughRowsEachAreKept()
    {
        using var tmp = DataTestFiles.NewTempDir();
        // 100 fine labels over 3,000 rows (30 each), like CIFAR-100's: categories, not an id.
        var (emb, lab) = Write(tmp.Sub("in"), i => $"fine{i % 100}", "fine");
        var (train, _) = DiagnoseInputs.FromFiles(emb, lab, null, null);
        using (train) Assert.Equal(100, train.Attributes.Single(a => a.Name == "fine").Categories.Count);
    }
}
