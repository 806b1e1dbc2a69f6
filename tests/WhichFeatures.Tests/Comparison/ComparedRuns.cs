using System.Text.Json;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Robustness;

namespace WhichFeatures.Tests.Comparison;

/// <summary>
/// Real inputs for <c>compare</c>, made once for a test class with <see cref="TinyRun"/>'s training settings on 160
/// random CIFAR-10-format images with random labels (so no probe is perfect, and train, test and each run's accuracies
/// differ: a mix-up of numbers shows): UCL and SCL on the built-in superclasses (UCL with the offline probe every
/// epoch), the same UCL with RandBit (an extra label), UCL on the flat ten classes (other data), and
/// <c>diagnose --run</c> of the UCL run.
/// </summary>
public sealed class ComparedRuns : IDisposable
{
    private readonly TempDir _tmp = DataTestFiles.NewTempDir();

    public ComparedRuns()
    {
        var data = _tmp.Sub("data");
        DataTestFiles.WriteCifar10(data, new Random(27), gz: false, n1: 96, n3: 64, nTest: TinyRun.TestImages);
        Train(Ucl, data, "--superclasses", "--loss", "ucl", "--offline-probe-every", "1");
        Train(Scl, data, "--superclasses", "--loss", "scl");
        Train(RandBit, data, "--superclasses", "--loss", "ucl", "--randbits", "2");
        Train(Flat, data, "--loss", "ucl");
        var diag = CliHarness.InProcess("diagnose", "--run", Ucl, "--out", Diagnosis);
        Assert.True(diag.Code == 0, diag.All);
    }

    private static void Train(string dir, string data, params string[] extra)
    {
        var r = CliHarness.InProcess(TinyRun.TrainArgs(data, dir, extra));
        Assert.True(r.Code == 0, r.All);
    }

    public string Root => _tmp.Path;
    public string Ucl => Path.Combine(Root, "ucl");
    public string Scl => Path.Combine(Root, "scl");
    public string RandBit => Path.Combine(Root, "ucl-randbit");
    public string Flat => Path.Combine(Root, "ucl-flat");
    public string Diagnosis => Path.Combine(Root, "diag-ucl");

    /// <summary>A fresh folder for one test's outputs, inside the fixture's temp folder.</summary>
    public string NewFolder(string stem) => Path.Combine(Root, $"{stem}-{Guid.NewGuid():N}");

    /// <summary>The root object of a folder's results.json (or any JSON file).</summary>
    public static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    public void Dispose() => _tmp.Dispose();
}
