using SkiaSharp;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Diagnosis;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Interop;

/// <summary>
/// The ONNX path against PyTorch: tests/fixtures/onnx/make_encoder.py exported a small CNN with torch.onnx.export
/// and saved PyTorch's embeddings of six PNG images; ONNX Runtime on our decoding of the same files must agree.
/// </summary>
[Collection("torch")]
public class OnnxEncoderTests
{
    /// <summary>tests/fixtures/onnx in this repository (found upwards from the test binary).</summary>
    public static string Fixture
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var p = Path.Combine(dir.FullName, "tests", "fixtures", "onnx");
                if (File.Exists(Path.Combine(p, "encoder.onnx"))) return p;
            }
            throw new DirectoryNotFoundException("tests/fixtures/onnx not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void OnnxRuntimeEmbeddingsEqualPyTorchOnTheSameImages()
    {
        var (train, test) = ImageFolder.Load(Path.Combine(Fixture, "images"));
        using var _ = train;
        Assert.Null(test);
        Assert.Equal(["cat", "dog"], train.Names());
        Assert.Equal(new long[] { 6, 3, 32, 32 }, train.Images.shape);
        using var encoder = new OnnxEncoder(Path.Combine(Fixture, "encoder.onnx"), DeviceKind.Cpu);
        using var z = encoder.Embed(train, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25], batchSize: 4);   // two batches: 4 + 2
        var reference = NpyFile.Read(Path.Combine(Fixture, "reference.npy"));
        Assert.Equal(reference.Shape, z.shape);
        var got = z.data<float>().ToArray();
        double maxDiff = got.Select((v, i) => Math.Abs(v - reference.Doubles![i])).Max();
        Assert.True(maxDiff <= 1e-5, $"max |ONNX Runtime - PyTorch| = {maxDiff}");
    }

    [Fact]
    public void DiagnoseRunsTheEncoderOverAnImageFolderWithJpegs()
    {
        using var tmp = DataTestFiles.NewTempDir();
        // Copy the PNG classes and add a JPEG to each (encoded by Skia), in train/ and test/ folders.
        foreach (var split in new[] { "train", "test" })
            foreach (var cls in new[] { "cat", "dog" })
            {
                var dst = Directory.CreateDirectory(Path.Combine(tmp.Path, "imgs", split, cls)).FullName;
                foreach (var f in Directory.GetFiles(Path.Combine(Fixture, "images", cls))) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)));
                using var bmp = new SKBitmap(40, 40);
                bmp.Erase(cls == "cat" ? new SKColor(200, 80, 60) : new SKColor(60, 90, 210));
                using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
                File.WriteAllBytes(Path.Combine(dst, "x.jpg"), data.ToArray());
            }
        var outDir = Path.Combine(tmp.Path, "out");
        var r = CliHarness.InProcess("diagnose", "--onnx", Path.Combine(Fixture, "encoder.onnx"), "--dataset", "image-folder", "--data-dir", Path.Combine(tmp.Path, "imgs"),
            "--image-size", "32", "--mean", "0.5", "--std", "0.25", "--device", "cpu", "--out", outDir);
        Assert.True(r.Code == 0, r.All);
        Assert.Contains("train/test (8 / 8 rows)", r.Out);
        Assert.True(File.Exists(Path.Combine(outDir, "results.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "pca_class.png")));

        // The same encoder as its own baseline: read the same way, named as the reference, every gap exactly 0.
        var withBaseline = CliHarness.InProcess("diagnose", "--onnx", Path.Combine(Fixture, "encoder.onnx"), "--baseline-onnx", Path.Combine(Fixture, "encoder.onnx"),
            "--dataset", "image-folder", "--data-dir", Path.Combine(tmp.Path, "imgs"), "--image-size", "32", "--mean", "0.5", "--std", "0.25", "--device", "cpu", "--out", Path.Combine(tmp.Path, "out2"));
        Assert.True(withBaseline.Code == 0, withBaseline.All);
        Assert.Contains("reference: the baseline embeddings (onnx:encoder.onnx)", withBaseline.Out);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "out2", "results.json")));
        var classVerdict = doc.RootElement.GetProperty("claims").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "attribute:class");
        Assert.Equal("baseline", classVerdict.GetProperty("evidence").GetProperty("suppression").GetProperty("reference").GetString());
        var noOnnx = CliHarness.InProcess("diagnose", "--baseline-onnx", Path.Combine(Fixture, "encoder.onnx"), "--embeddings", "e.npy", "--labels", "l.csv");
        noOnnx.AssertUserError("--baseline-onnx", "needs --onnx");
    }

    public static TheoryData<string, string> BadFolders => new()
    {
        { "shape", "does not fit" },
        { "non-image", "not an image file" },
        { "empty-class", "the class folder is empty" },
        { "undecodable", "cannot decode" },
    };

    [Theory]
    [MemberData(nameof(BadFolders))]
    public void BadImageFolderOrEncoderIsOneLineExitTwoAndWritesNothing(string kind, string expected)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var root = Path.Combine(tmp.Path, "imgs");
        foreach (var cls in new[] { "cat", "dog" })
        {
            var dst = Directory.CreateDirectory(Path.Combine(root, cls)).FullName;
            foreach (var f in Directory.GetFiles(Path.Combine(Fixture, "images", cls))) File.Copy(f, Path.Combine(dst, Path.GetFileName(f)));
        }
        string[] size = ["--image-size", "32"];
        switch (kind)
        {
            case "shape": size = ["--image-size", "24"]; break;          // the encoder wants 32 x 32
            case "non-image": File.WriteAllText(Path.Combine(root, "dog", "notes.txt"), "hello"); break;
            case "empty-class": Directory.CreateDirectory(Path.Combine(root, "bird")); break;
            case "undecodable": File.WriteAllText(Path.Combine(root, "dog", "broken.png"), "not a png"); break;
        }
        var outDir = Path.Combine(tmp.Path, "out");
        var r = CliHarness.InProcess(["diagnose", "--onnx", Path.Combine(Fixture, "encoder.onnx"), "--dataset", "image-folder", "--data-dir", root, "--device", "cpu", "--out", outDir, .. size]);
        r.AssertUserError(expected);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }
}
