using System.Formats.Tar;
using System.Net;
using System.Security.Cryptography;
using WhichFeatures.Core;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>Downloads against a fake HTTP handler (no network): good bytes install, bad bytes or errors leave nothing.</summary>
[Collection("torch")]
public class DownloaderTests
{
    /// <summary>Answers each URL from a table; unknown URLs get 404; a null body means a network failure.</summary>
    private sealed class FakeServer : HttpMessageHandler
    {
        public Dictionary<string, byte[]?> Responses { get; } = new();
        public List<string> Requested { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            Requested.Add(url);
            if (!Responses.TryGetValue(url, out var body)) return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" });
            if (body is null) throw new HttpRequestException("Name or service not known");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });
        }
    }

    private static string Md5(byte[] b) => Convert.ToHexStringLower(MD5.HashData(b));

    /// <summary>A CIFAR-10-like .tar.gz: cifar-10-batches-bin/ with two small batches and the meta file.</summary>
    private static byte[] CifarTarGz(out byte[] batch)
    {
        batch = DataTestFiles.CifarRecords(new[] { new byte[] { 3 }, new byte[] { 8 } }, DataTestFiles.RandomBytes(new Random(60), 2 * 3072));
        var tarStream = new MemoryStream();
        using (var tar = new TarWriter(tarStream, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            foreach (var (name, data) in new[] { ("cifar-10-batches-bin/data_batch_1.bin", batch), ("cifar-10-batches-bin/test_batch.bin", batch),
                         ("cifar-10-batches-bin/batches.meta.txt", System.Text.Encoding.ASCII.GetBytes(string.Join("\n", Cifar10Loader.DefaultClassNames))) })
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return DataTestFiles.Gzip(tarStream.ToArray());
    }

    private static CatalogEntry CifarEntry(string md5, params string[] urls) =>
        new("cifar10", Cifar10Loader.FolderName, new[] { new DatasetResource("cifar-10-binary.tar.gz", urls, md5, IsArchive: true) },
            "cifar-10-batches-bin", new[] { "data_batch_1.bin", "test_batch.bin" }, "test");

    private static void AssertNothingLeft(string dir, string folder)
    {
        if (!Directory.Exists(dir)) return;                                                      // a folder the download created is removed whole
        Assert.False(Directory.Exists(Path.Combine(dir, folder)), "no partial dataset folder");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir), p => Path.GetFileName(p).StartsWith(".download-", StringComparison.Ordinal));
    }

    [Fact]
    public void GoodChecksumInstallsALoadableFolder()
    {
        var archive = CifarTarGz(out var batch);
        var server = new FakeServer();
        server.Responses["https://example.test/c10.tar.gz"] = archive;
        using var tmp = DataTestFiles.NewTempDir();
        var log = new StringWriter();
        using var dl = new DatasetDownloader(server, log: log);
        var result = dl.Download(CifarEntry(Md5(archive), "https://example.test/c10.tar.gz"), tmp.Path);
        Assert.True(result.Downloaded);
        Assert.Equal(Path.Combine(tmp.Path, "cifar-10-batches-bin"), result.Folder);
        Assert.Equal(batch, File.ReadAllBytes(Path.Combine(result.Folder, "data_batch_1.bin")));
        Assert.Single(Directory.EnumerateFileSystemEntries(tmp.Path)); // temp folder gone
        using var ds = Cifar10Loader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal(new long[] { 3, 8 }, ds.LabelValues());
        Assert.Contains("OK", log.ToString());

        // Second call: already there, nothing fetched.
        server.Requested.Clear();
        var again = dl.Download(CifarEntry(Md5(archive), "https://example.test/c10.tar.gz"), tmp.Path);
        Assert.False(again.Downloaded);
        Assert.Empty(server.Requested);
    }

    [Fact]
    public void BadChecksumLeavesNoFolder()
    {
        var archive = CifarTarGz(out _);
        var corrupted = (byte[])archive.Clone();
        corrupted[corrupted.Length / 2] ^= 0x40;
        var server = new FakeServer();
        server.Responses["https://example.test/c10.tar.gz"] = corrupted;
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(Md5(archive), "https://example.test/c10.tar.gz"), tmp.Path));
        Assert.IsAssignableFrom<UserInputException>(e);
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(Md5(archive), e.Message);
        Assert.DoesNotContain('\n', e.Message);
        AssertNothingLeft(tmp.Path, "cifar-10-batches-bin");
    }

    [Fact]
    public void NetworkErrorAndHttpErrorLeaveNoFolder()
    {
        var server = new FakeServer();
        server.Responses["https://offline.test/a.tar.gz"] = null;
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(new string('0', 32), "https://offline.test/a.tar.gz", "https://offline.test/missing.tar.gz"), tmp.Path));
        Assert.Contains("offline", e.Message);
        Assert.Contains("HTTP 404", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        AssertNothingLeft(tmp.Path, "cifar-10-batches-bin");
    }

    // A failed download into a folder it had to create leaves no empty folder behind; a folder the user had stays.
    [Fact]
    public void AFailedDownloadRemovesOnlyTheFolderItCreated()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(new FakeServer());                                   // every URL: HTTP 404
        var entry = CifarEntry(new string('0', 32), "https://offline.test/missing.tar.gz");
        var created = Path.Combine(tmp.Path, "data", "new");
        Assert.Throws<DatasetDownloadException>(() => dl.Download(entry, created));
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "data")), "the folders the download created are left behind, empty");
        var existing = Path.Combine(tmp.Path, "mine");
        Directory.CreateDirectory(existing);
        Assert.Throws<DatasetDownloadException>(() => dl.Download(entry, existing));
        Assert.True(Directory.Exists(existing), "the user's own (empty) folder was removed");
    }

    /// <summary>Never answers: waits until the request is cancelled.</summary>
    private sealed class HangingServer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public void CancellationAndTimeoutLeaveNoFolder()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using (var dl = new DatasetDownloader(new HangingServer()))
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(new string('0', 32), "https://slow.test/a.tar.gz"), tmp.Path, cancellationToken: cts.Token));
            Assert.Contains("cancelled", e.Message);
        }
        AssertNothingLeft(tmp.Path, "cifar-10-batches-bin");
        using (var dl = new DatasetDownloader(new HangingServer(), timeout: TimeSpan.FromMilliseconds(200)))
        {
            var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(new string('0', 32), "https://slow.test/a.tar.gz"), tmp.Path));
            Assert.Contains("timed out", e.Message);
        }
        AssertNothingLeft(tmp.Path, "cifar-10-batches-bin");
    }

    [Fact]
    public void ForceReplacesTheOldFolderOnlyAfterVerification()
    {
        var archive = CifarTarGz(out var batch);
        var server = new FakeServer();
        server.Responses["https://example.test/good.tar.gz"] = archive;
        var corrupted = (byte[])archive.Clone();
        corrupted[^20] ^= 1;
        server.Responses["https://example.test/bad.tar.gz"] = corrupted;
        using var tmp = DataTestFiles.NewTempDir();
        var old = tmp.Sub("cifar-10-batches-bin");
        File.WriteAllText(Path.Combine(old, "marker.txt"), "old copy");
        using var dl = new DatasetDownloader(server);

        Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(Md5(archive), "https://example.test/bad.tar.gz"), tmp.Path, force: true));
        Assert.True(File.Exists(Path.Combine(old, "marker.txt")), "a failed --force download keeps the old folder");

        var result = dl.Download(CifarEntry(Md5(archive), "https://example.test/good.tar.gz"), tmp.Path, force: true);
        Assert.True(result.Downloaded);
        Assert.False(File.Exists(Path.Combine(old, "marker.txt")));
        Assert.Equal(batch, File.ReadAllBytes(Path.Combine(old, "data_batch_1.bin")));
        Assert.Single(Directory.EnumerateFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void FallsBackToTheNextMirror()
    {
        var archive = CifarTarGz(out _);
        var server = new FakeServer();
        server.Responses["https://mirror2.test/c10.tar.gz"] = archive;
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        var result = dl.Download(CifarEntry(Md5(archive), "https://mirror1.test/c10.tar.gz", "https://mirror2.test/c10.tar.gz"), tmp.Path);
        Assert.True(result.Downloaded);
        Assert.Equal(2, server.Requested.Count);
    }

    [Fact]
    public void PlainGzFilesAreKeptAsIsAndLoad()
    {
        using var src = DataTestFiles.NewTempDir();
        var w = DataTestFiles.WriteMnist(src.Path, new Random(61), gz: true);
        // WriteMnist writes the test split plain when gz is true; gzip those for the fake server.
        var server = new FakeServer();
        var resources = new List<DatasetResource>();
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            var gzPath = Path.Combine(src.Path, name + ".gz");
            var bytes = File.Exists(gzPath) ? File.ReadAllBytes(gzPath) : DataTestFiles.Gzip(File.ReadAllBytes(Path.Combine(src.Path, name)));
            server.Responses[$"https://m.test/{name}.gz"] = bytes;
            resources.Add(new DatasetResource(name + ".gz", new[] { $"https://m.test/{name}.gz" }, Md5(bytes), IsArchive: false));
        }
        var entry = new CatalogEntry("mnist", "mnist", resources, null, resources.Select(r => r.FileName).ToArray(), "test");
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        dl.Download(entry, tmp.Path);
        using var train = MnistLoader.Load(tmp.Path, DatasetSplit.Train);
        Assert.Equal(w.TrainLabels.Select(b => (long)b), train.LabelValues());
    }

    [Fact]
    public void ArchiveEscapingTheFolderIsRejected()
    {
        var tarStream = new MemoryStream();
        using (var tar = new TarWriter(tarStream, TarEntryFormat.Pax, leaveOpen: true))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../evil.txt") { DataStream = new MemoryStream(new byte[] { 1 }) });
        var archive = DataTestFiles.Gzip(tarStream.ToArray());
        var server = new FakeServer();
        server.Responses["https://example.test/evil.tar.gz"] = archive;
        using var tmp = DataTestFiles.NewTempDir();
        var inner = Path.Combine(tmp.Path, "inner");
        using var dl = new DatasetDownloader(server);
        var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(CifarEntry(Md5(archive), "https://example.test/evil.tar.gz"), inner));
        Assert.Contains("outside", e.Message);
        Assert.False(File.Exists(Path.Combine(inner, "evil.txt")));
        AssertNothingLeft(inner, "cifar-10-batches-bin");
    }

    [Fact]
    public void ArchiveWithoutTheExpectedFolderIsRejected()
    {
        var archive = CifarTarGz(out _);
        var server = new FakeServer();
        server.Responses["https://example.test/c10.tar.gz"] = archive;
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        var entry = CifarEntry(Md5(archive), "https://example.test/c10.tar.gz") with { RequiredFiles = new[] { "data_batch_5.bin" } };
        var e = Assert.Throws<DatasetDownloadException>(() => dl.Download(entry, tmp.Path));
        Assert.Contains("data_batch_5.bin", e.Message);
        AssertNothingLeft(tmp.Path, "cifar-10-batches-bin");
    }

    [Fact]
    public void TheRealCatalogIsCompleteAndRefusesWrongBytes()
    {
        foreach (var name in new[] { "cifar10", "cifar100", "mnist", "fashion-mnist" })
        {
            var entry = DatasetCatalog.Get(name);
            Assert.NotEmpty(entry.Resources);
            Assert.All(entry.Resources, r => Assert.Matches("^[0-9a-f]{32}$", r.Md5));
            Assert.All(entry.Resources, r => Assert.All(r.Urls, u => Assert.StartsWith("http", u)));
        }
        Assert.Equal(2, DatasetCatalog.For("digits-on-backgrounds").Count);
        // The official MNIST entry against a fake server that answers every URL with wrong bytes.
        var server = new FakeServer();
        foreach (var r in DatasetCatalog.Get("mnist").Resources) foreach (var u in r.Urls) server.Responses[u] = new byte[] { 1, 2, 3 };
        using var tmp = DataTestFiles.NewTempDir();
        using var dl = new DatasetDownloader(server);
        var e = Assert.Throws<DatasetDownloadException>(() => dl.Download("mnist", tmp.Path));
        Assert.Contains("f68b3c2dcbeaaa9fbdd348bbdeb94873", e.Message);
        AssertNothingLeft(tmp.Path, "mnist");
    }
}
