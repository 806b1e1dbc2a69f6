using System.CommandLine;
using SkiaSharp;
using WhichFeatures.Cli.Commands;
using WhichFeatures.Data;
using WhichFeatures.Reporting;

namespace WhichFeatures.Tests.Data;

/// <summary>The <c>data</c> verb end to end (in process), and the PNG grid it writes.</summary>
[Collection("torch")]
public class DataCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test") { DataCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void VerifyPrintsCountsShapesAndChecksums()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteCifar10(tmp.Sub("cifar-10-batches-bin"), new Random(70), gz: true, n1: 30, n3: 10, nTest: 20);
        var (code, output, error) = Run("data", "verify", "cifar10", "--data-dir", tmp.Path);
        Assert.True(code == 0, error);
        Assert.Contains("train: 40 images [3, 32, 32]", output);
        var names = Cifar10Loader.DefaultClassNames;
        var counts = Enumerable.Range(0, 10).Select(c => w.TrainLabels.Count(l => l == c)).ToArray();
        Assert.Contains("class (10): " + string.Join(", ", names.Select((n, i) => $"{n} {counts[i]}")), output);
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(Path.Combine(tmp.Path, "cifar-10-batches-bin", "data_batch_1.bin.gz"))));
        Assert.Contains(md5, output);
        Assert.Contains("train has 40 of the 50000 examples", output);
        Assert.Contains("verify: OK", output);
    }

    [Fact]
    public void VerifyOfABadFileExitsTwoWithOneLineNamingTheFile()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Path, new Random(71), gz: false);
        var path = Path.Combine(tmp.Path, "train-images-idx3-ubyte");
        File.WriteAllBytes(path, File.ReadAllBytes(path).AsSpan(0, 500).ToArray());
        var (code, output, error) = Run("data", "verify", "mnist", "--data-dir", tmp.Path);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("train-images-idx3-ubyte", error);
        Assert.Contains("truncated", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.DoesNotContain("verify: OK", output);
    }

    [Theory]
    [InlineData("truncated-bin")]
    [InlineData("truncated-gz")]
    [InlineData("corrupt-gz")]
    [InlineData("label-out-of-range")]
    [InlineData("directory-for-file")]
    [InlineData("empty")]
    public void EachBadCifarFileExitsTwoNamingTheFile(string fault)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var dir = tmp.Sub("cifar-10-batches-bin");
        DataTestFiles.WriteCifar10(dir, new Random(73), gz: true);   // data_batch_1 and test_batch .gz, data_batch_3 plain
        string bad;
        switch (fault)
        {
            case "truncated-bin":
                bad = Path.Combine(dir, "data_batch_3.bin");
                File.WriteAllBytes(bad, File.ReadAllBytes(bad).AsSpan(0, 5000).ToArray());
                break;
            case "truncated-gz":
                bad = Path.Combine(dir, "test_batch.bin.gz");
                var gz = File.ReadAllBytes(bad);
                File.WriteAllBytes(bad, gz.AsSpan(0, gz.Length * 2 / 3).ToArray());
                break;
            case "corrupt-gz":
                bad = Path.Combine(dir, "data_batch_1.bin.gz");
                var c = File.ReadAllBytes(bad);
                for (int i = c.Length / 3; i < c.Length / 3 + 8; i++) c[i] ^= 0x5a;
                File.WriteAllBytes(bad, c);
                break;
            case "label-out-of-range":
                bad = Path.Combine(dir, "data_batch_3.bin");
                var l = File.ReadAllBytes(bad);
                l[3073 * 2] = 200;
                File.WriteAllBytes(bad, l);
                break;
            case "directory-for-file":
                bad = Path.Combine(dir, "test_batch.bin.gz");
                File.Delete(bad);
                Directory.CreateDirectory(bad);
                break;
            default:
                bad = Path.Combine(dir, "data_batch_3.bin");
                File.WriteAllBytes(bad, Array.Empty<byte>());
                break;
        }
        var (code, _, error) = Run("data", "verify", "cifar10", "--data-dir", tmp.Path);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(Path.GetFileName(bad), error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void UnknownDatasetAndMissingFolderAreUserErrors()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (code, _, error) = Run("data", "verify", "imagenet", "--data-dir", tmp.Path);
        Assert.Equal(2, code);
        Assert.Contains("cifar100", error);
        (code, _, error) = Run("data", "verify", "cifar10", "--data-dir", Path.Combine(tmp.Path, "absent"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public void InspectWritesAPngGridOfTheRightSamples()
    {
        using var tmp = DataTestFiles.NewTempDir();
        DataTestFiles.WriteMnist(tmp.Sub("mnist"), new Random(72), gz: true, nTrain: 40, nTest: 10);
        var png = Path.Combine(tmp.Path, "out", "grid.png");
        var (code, output, error) = Run("data", "inspect", "mnist", "--data-dir", tmp.Path, "--out", png, "--per-class", "3", "--seed", "5");
        Assert.True(code == 0, error);
        Assert.Contains("sample grid", output);
        Assert.True(File.Exists(png));
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "out"), "*.tmp"));

        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(SampleGrid.NameColumn + 3 * (56 + SampleGrid.Gap), bitmap.Width);
        Assert.Equal(10 * (56 + SampleGrid.Gap) + SampleGrid.Gap, bitmap.Height);

        // The cell at row r, column c shows the chosen example at 2x, pixel (y, x) -> image (y/2, x/2).
        using var train = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        var chosen = SampleGrid.ChooseSamples(train, 3, LabelKeys.Class, 5, 10);
        var images = train.Images.data<byte>().ToArray();
        int checkedCells = 0;
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 3; c++)
            {
                long idx = chosen[r][c];
                if (idx < 0) continue;
                Assert.Equal(r, train.LabelValues()[idx]);
                foreach (var (y, x) in new[] { (0, 0), (10, 17), (55, 55), (27, 40) })
                {
                    var px = bitmap.GetPixel(SampleGrid.NameColumn + c * (56 + SampleGrid.Gap) + x, SampleGrid.Gap + r * (56 + SampleGrid.Gap) + y);
                    var expected = images[idx * 784 + (y / 2) * 28 + x / 2];
                    Assert.Equal(expected, px.Red);
                    Assert.Equal(expected, px.Blue);
                }
                checkedCells++;
            }
        Assert.True(checkedCells >= 10);
        // Class names were drawn in the left column (dark text on white), when a font is installed.
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < SampleGrid.NameColumn; x++)
                if (bitmap.GetPixel(x, y).Red < 128) dark++;
        Assert.True(dark > 50, $"only {dark} dark pixels in the name column: no text drawn (install fonts-dejavu-core)");
    }

    [SkippableFact]
    public void InspectOnTheSharedCifar10()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin")), "../shared/data not found");
        using var tmp = DataTestFiles.NewTempDir();
        // WHICHFEATURES_KEEP_OUTPUT=DIR keeps the grid for a person to look at.
        var keep = Environment.GetEnvironmentVariable("WHICHFEATURES_KEEP_OUTPUT");
        var png = Path.Combine(string.IsNullOrEmpty(keep) ? tmp.Path : keep, "cifar10-superclasses-samples.png");
        var (code, output, error) = Run("data", "inspect", "cifar10", "--data-dir", shared!, "--out", png, "--superclasses", "--label", "subclass");
        if (!string.IsNullOrEmpty(keep)) File.WriteAllText(Path.Combine(keep, "cifar10-inspect.txt"), output);
        Assert.True(code == 0, error);
        Assert.Contains("class (2): vehicles", output);
        Assert.Contains("test: 10000 images", output);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(10 * (64 + SampleGrid.Gap) + SampleGrid.Gap, bitmap.Height);
    }

    [SkippableFact]
    public void InspectDigitsOnBackgroundsOnSharedData()
    {
        var shared = DataTestFiles.SharedData();
        Skip.If(shared is null || !Directory.Exists(Path.Combine(shared, "mnist")) || !Directory.Exists(Path.Combine(shared, "cifar-10-batches-bin")), "../shared/data not found");
        using var tmp = DataTestFiles.NewTempDir();
        var keep = Environment.GetEnvironmentVariable("WHICHFEATURES_KEEP_OUTPUT");
        var png = Path.Combine(string.IsNullOrEmpty(keep) ? tmp.Path : keep, "digits-on-backgrounds-samples.png");
        var (code, output, error) = Run("data", "inspect", "digits-on-backgrounds", "--data-dir", shared!, "--out", png, "--randbits", "3", "--per-class", "10");
        if (!string.IsNullOrEmpty(keep)) File.WriteAllText(Path.Combine(keep, "digits-inspect.txt"), output);
        Assert.True(code == 0, error);
        // Digits keep MNIST's published counts.
        Assert.Contains("train: 60000 images [3, 32, 32] uint8 + 3 RandBit channels", output);
        Assert.Contains("class (10): 0 5923, 1 6742, 2 5958, 3 6131, 4 5842, 5 5421, 6 5918, 7 6265, 8 5851, 9 5949", output);
        // 60,000 digits over M CIFAR-10 training backgrounds use each background floor(N/M) or ceil(N/M) times, so a
        // background class with n images backs between n * floor and n * ceil digits (exactly 6n with the 10,000-image
        // copy, n to 2n with all 50,000); the counts add up to 60,000.
        long[] perClass;
        using (var cifar = Cifar10Loader.Load(shared!, DatasetSplit.Train)) perClass = cifar.CountsPerClass();
        long m = perClass.Sum(), low = 60000 / m, high = (60000 + m - 1) / m;
        var line = output.Split('\n').Select(l => l.Trim()).SkipWhile(l => !l.StartsWith("train: ")).First(l => l.StartsWith("background (10): "));
        var counts = line["background (10): ".Length..].Split(", ").Select(p => long.Parse(p[(p.LastIndexOf(' ') + 1)..])).ToArray();
        Assert.Equal(10, counts.Length);
        Assert.Equal(60000, counts.Sum());
        for (int c = 0; c < 10; c++)
            Assert.InRange(counts[c], perClass[c] * low, perClass[c] * high);
        Assert.Contains("randbit (8): ", output);
    }

    /// <summary>Every request fails as if offline.</summary>
    private sealed class OfflineHandler : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            throw new HttpRequestException("Name or service not known");
        }
    }

    [Fact]
    public void DownloadOfflineExitsTwoWithOneLineAndLeavesNothing()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var handler = new OfflineHandler();
        var previous = DataCommand.HttpHandlerFactory;
        DataCommand.HttpHandlerFactory = () => handler;
        try
        {
            var (code, _, error) = Run("data", "download", "cifar100", "--to", tmp.Path);
            Assert.Equal(2, code);
            Assert.StartsWith("error: download cifar100:", error);
            Assert.Contains("offline", error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Equal(1, handler.Requests);
            Assert.Empty(Directory.EnumerateFileSystemEntries(tmp.Path));
        }
        finally
        {
            DataCommand.HttpHandlerFactory = previous;
        }
    }

    [Fact]
    public void DownloadIntoAFileIsAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var file = Path.Combine(tmp.Path, "f");
        File.WriteAllText(file, "x");
        var (code, _, error) = Run("data", "download", "mnist", "--to", file);
        Assert.Equal(2, code);
        Assert.Contains("is a file", error);
    }
}
