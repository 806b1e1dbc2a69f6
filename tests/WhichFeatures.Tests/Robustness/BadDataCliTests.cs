using System.Buffers.Binary;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// Dataset files, through the CLI (docs/robustness.md): every bad-input case (the loader-level checks are in
/// Data/BadInputTests) must reach the user as exit code 2 and one "error:" line naming the file and what was
/// expected, with no stack trace, from both <c>data verify</c> and <c>train</c>.
/// </summary>
[Collection("torch")]
public class BadDataCliTests
{
    /// <summary>A broken dataset folder: which dataset, how to break it, what the message must say.</summary>
    public sealed record Case(string Name, string Dataset, Action<string> Make, string[] Expected)
    {
        public override string ToString() => Name;
    }

    private static void Cifar10(string dir) => DataTestFiles.WriteCifar10(dir, new Random(31), gz: false, n1: 6, n3: 4, nTest: 4);
    private static void Mnist(string dir, bool gz = false) => DataTestFiles.WriteMnist(dir, new Random(32), gz, nTrain: 6, nTest: 4);
    private static void Cut(string path, int keep) => File.WriteAllBytes(path, File.ReadAllBytes(path).AsSpan(0, keep).ToArray());

    public static TheoryData<Case> Cases() => new()
    {
        new Case("cifar .bin size not a multiple of the record", "cifar10", d => { Cifar10(d); Cut(Path.Combine(d, "test_batch.bin"), 3073 * 2 + 100); },
            ["test_batch.bin", "multiple of the 3073-byte record"]),
        new Case("truncated .gz", "cifar10", d => { Cifar10(d); var p = Path.Combine(d, "data_batch_3.bin.gz"); Cut(p, (int)new FileInfo(p).Length / 2); },
            ["data_batch_3.bin.gz", "gzip"]),
        new Case("truncated IDX", "mnist", d => { Mnist(d); Cut(Path.Combine(d, "train-images-idx3-ubyte"), 500); },
            ["train-images-idx3-ubyte", "truncated"]),
        new Case("empty .bin", "cifar10", d => { Cifar10(d); File.WriteAllBytes(Path.Combine(d, "test_batch.bin"), []); },
            ["test_batch.bin", "empty"]),
        new Case("empty .gz", "mnist", d => { Mnist(d, gz: true); File.WriteAllBytes(Path.Combine(d, "train-labels-idx1-ubyte.gz"), []); },
            ["train-labels-idx1-ubyte.gz", "empty"]),
        new Case("wrong IDX magic", "mnist", d =>
            {
                Mnist(d);
                var p = Path.Combine(d, "train-images-idx3-ubyte");
                var b = File.ReadAllBytes(p); b[2] = 0x0D; File.WriteAllBytes(p, b);
            }, ["train-images-idx3-ubyte", "IDX magic", "00 00 08 03"]),
        new Case("wrong IDX dimensions", "mnist", d =>
            {
                Mnist(d);
                var p = Path.Combine(d, "train-images-idx3-ubyte");
                var b = File.ReadAllBytes(p); BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), 29); File.WriteAllBytes(p, b);
            }, ["train-images-idx3-ubyte", "IDX data size"]),
        new Case("CIFAR-10 label out of range", "cifar10", d =>
            {
                Cifar10(d);
                DataTestFiles.Write(Path.Combine(d, "test_batch.bin"), DataTestFiles.CifarRecords([[3], [10]], new byte[2 * 3072]), false);
            }, ["test_batch.bin", "label 10 out of range", "0 to 9"]),
        new Case("CIFAR-100 fine label out of range", "cifar100", d =>
            {
                DataTestFiles.Write(Path.Combine(d, "train.bin"), DataTestFiles.CifarRecords([[1, 2], [3, 4]], new byte[2 * 3072]), false);
                DataTestFiles.Write(Path.Combine(d, "test.bin"), DataTestFiles.CifarRecords([[19, 100]], new byte[3072]), false);
            }, ["test.bin", "fine label", "0 to 99"]),
        new Case("gzip corrupt midway", "mnist", d =>
            {
                Mnist(d, gz: true);
                var p = Path.Combine(d, "train-images-idx3-ubyte.gz");
                var b = File.ReadAllBytes(p); for (int i = b.Length / 2; i < b.Length / 2 + 16; i++) b[i] ^= 0xA5; File.WriteAllBytes(p, b);
            }, ["train-images-idx3-ubyte.gz", "gzip"]),
        new Case("missing file", "cifar10", d => { Cifar10(d); File.Delete(Path.Combine(d, "test_batch.bin")); },
            ["test_batch.bin", "missing"]),
        new Case("directory where a file is expected", "cifar10", d =>
            {
                Cifar10(d);
                File.Delete(Path.Combine(d, "test_batch.bin"));
                Directory.CreateDirectory(Path.Combine(d, "test_batch.bin"));
            }, ["test_batch.bin", "is a directory"]),
        new Case("wrong number of class names", "cifar10", d => { Cifar10(d); File.WriteAllText(Path.Combine(d, "batches.meta.txt"), "a\nb\n"); },
            ["batches.meta.txt", "expected 10"]),
        new Case("label names not UTF-8", "cifar10", d => { Cifar10(d); File.WriteAllBytes(Path.Combine(d, "batches.meta.txt"), [0xff, 0xfe, 0x0a]); },
            ["batches.meta.txt", "UTF-8"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DataVerifyReportsTheFileAndWhatWasExpected(Case c)
    {
        using var tmp = DataTestFiles.NewTempDir();
        c.Make(tmp.Path);
        var r = CliHarness.InProcess("data", "verify", c.Dataset, "--data-dir", tmp.Path);
        r.AssertUserError(c.Expected);
        Assert.Single(r.Err.Trim().Split('\n'));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainReportsTheFileAndWhatWasExpected(Case c)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var data = tmp.Sub("data");
        c.Make(data);
        var run = Path.Combine(tmp.Path, "run");
        var r = CliHarness.InProcess("train", "--dataset", c.Dataset, "--data-dir", data, "--out", run, "--epochs", "1", "--batch-size", "2", "--threads", "1");
        r.AssertUserError(c.Expected);
        Assert.Empty(Directory.Exists(run) ? Directory.GetFiles(run, "checkpoint-*") : []);
    }

    [Fact]
    public void DataFolderThatIsAFileIsAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        Cifar10(tmp.Path);
        var file = Path.Combine(tmp.Path, "data_batch_1.bin");
        CliHarness.InProcess("data", "verify", "cifar10", "--data-dir", file).AssertUserError("data_batch_1.bin", "is a file");
        CliHarness.InProcess("train", "--dataset", "cifar10", "--data-dir", file, "--out", Path.Combine(tmp.Path, "run")).AssertUserError("data_batch_1.bin", "is a file");
    }

    [Fact]
    public void MalformedSuperclassMapNamesTheFile()
    {
        using var tmp = DataTestFiles.NewTempDir();
        Cifar10(tmp.Path);
        var map = Path.Combine(tmp.Path, "superclasses.json");
        File.WriteAllText(map, "{\"vehicles\": [0, 1, ");
        CliHarness.InProcess("data", "verify", "cifar10", "--data-dir", tmp.Path, "--superclass-map", map).AssertUserError("superclasses.json");
    }

    /// <summary>
    /// An unreadable file. Tests run as root, whom chmod 000 does not stop, so the CLI runs as a child process without
    /// the DAC-override capabilities (setpriv); skipped where neither works.
    /// </summary>
    [SkippableFact]
    public void UnreadableFileIsAUserError()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "POSIX permissions");
        using var tmp = DataTestFiles.NewTempDir();
        Cifar10(tmp.Path);
        var path = Path.Combine(tmp.Path, "test_batch.bin");
        File.SetUnixFileMode(path, UnixFileMode.None);
        string[] args = ["data", "verify", "cifar10", "--data-dir", tmp.Path];
        CliResult r;
        if (Environment.UserName != "root")
            r = CliHarness.InProcess(args);
        else
        {
            Skip.IfNot(File.Exists("/usr/bin/setpriv"), "running as root and setpriv is not installed");
            var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/setpriv")
            {
                ArgumentList = { "--bounding-set", "-dac_override,-dac_read_search", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", CliHarness.CliDll },
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(true); Assert.Fail("setpriv child hung"); }
            r = new CliResult(p.ExitCode, stdout.Result, stderr.Result);
            Skip.If(r.Err.Contains("setpriv:"), $"cannot drop capabilities here: {r.Err.Trim()}");
        }
        r.AssertUserError("test_batch.bin", "not readable");
    }

    [Fact]
    public void RandomMutationsThroughTheCliGiveOkOrAUserErrorNeverACrash()
    {
        // The loader-level mutation test is Data/MutationTests; this one checks the CLI's side: exit 0 or 2 only.
        using var tmp = DataTestFiles.NewTempDir();
        Cifar10(tmp.Path);
        var path = Path.Combine(tmp.Path, "test_batch.bin");
        var good = File.ReadAllBytes(path);
        var rng = new Random(6);
        int ok = 0, rejected = 0;
        for (int i = 0; i < 40; i++)
        {
            var b = (byte[])good.Clone();
            for (int f = rng.Next(1, 4); f > 0; f--) b[rng.Next(b.Length)] ^= (byte)rng.Next(1, 256);
            if (rng.Next(2) == 0) b = b.AsSpan(0, rng.Next(b.Length)).ToArray();
            File.WriteAllBytes(path, b);
            var r = CliHarness.InProcess("data", "verify", "cifar10", "--data-dir", tmp.Path);
            Assert.True(r.Code is 0 or 2, $"mutation {i}: exit {r.Code}\n{r.All}");
            r.AssertNoStackTrace();
            if (r.Code == 0) ok++; else { rejected++; Assert.Contains("test_batch.bin", r.Err); }
        }
        Assert.True(ok > 0 && rejected > 0, $"ok {ok}, rejected {rejected}: both outcomes expected (flipped pixels stay valid, cuts do not)");
    }
}
