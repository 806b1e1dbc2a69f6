using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace WhichFeatures.Data;

/// <summary>
/// Downloads a dataset from its official URL, verifies the published MD5, unpacks it and only then moves the
/// dataset folder into place. Everything happens in a temporary folder next to the target, which is removed
/// whatever happens, so a failure (offline, HTTP error, bad checksum, bad archive, Ctrl-C) leaves no partial
/// folder. The HTTP handler is injectable so tests run offline against a fake server.
/// </summary>
public sealed class DatasetDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly TextWriter _log;

    /// <summary>Creates a downloader.</summary>
    /// <param name="handler">The HTTP handler (default: a plain <see cref="HttpClientHandler"/>); tests pass a fake.</param>
    /// <param name="timeout">Per-request timeout (default 30 minutes: the CIFAR tarballs are ~160 MB).</param>
    /// <param name="log">Where progress lines go (default: nowhere).</param>
    public DatasetDownloader(HttpMessageHandler? handler = null, TimeSpan? timeout = null, TextWriter? log = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = timeout ?? TimeSpan.FromMinutes(30);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("WhichFeatures/1.0");
        _log = log ?? TextWriter.Null;
    }

    /// <summary>Downloads every catalog entry <paramref name="name"/> needs into <paramref name="toDir"/>.</summary>
    public IReadOnlyList<DownloadResult> Download(string name, string toDir, bool force = false, CancellationToken cancellationToken = default) =>
        DatasetCatalog.For(name).Select(e => Download(e, toDir, force, cancellationToken)).ToArray();

    /// <summary>Downloads one entry (synchronous wrapper of <see cref="DownloadAsync"/>).</summary>
    public DownloadResult Download(CatalogEntry entry, string toDir, bool force = false, CancellationToken cancellationToken = default) =>
        DownloadAsync(entry, toDir, force, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Downloads one entry into <paramref name="toDir"/>/<see cref="CatalogEntry.FolderName"/>. An existing
    /// non-empty folder is kept (nothing fetched) unless <paramref name="force"/>, in which case it is replaced
    /// only after the new copy is complete and verified.
    /// </summary>
    /// <exception cref="DatasetDownloadException">Offline, HTTP error, checksum mismatch, bad archive, or the folder cannot be written.</exception>
    public async Task<DownloadResult> DownloadAsync(CatalogEntry entry, string toDir, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(toDir)) throw new DatasetDownloadException("--to: expected a folder to download into");
        if (File.Exists(toDir)) throw new DatasetDownloadException($"--to {toDir}: is a file; expected a folder");
        var target = Path.GetFullPath(Path.Combine(toDir, entry.FolderName));
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !force)
        {
            _log.WriteLine($"{entry.Name}: {target} already exists; nothing downloaded (use --force to download again)");
            return new DownloadResult(entry.Name, target, Downloaded: false, Array.Empty<(string, string)>());
        }

        var createdRoot = HighestMissingFolder(Path.GetFullPath(toDir));                           // removed again if nothing lands in it
        var temp = CreateWorkFolder(entry, toDir);
        try
        {
            var files = Path.Combine(temp, "files");
            Directory.CreateDirectory(files);
            var verified = await FetchAllVerifiedAsync(entry, files, cancellationToken).ConfigureAwait(false);
            var ready = Unpack(entry, temp, files);
            Install(ready, target, temp);
            _log.WriteLine($"{entry.Name}: verified and installed in {target}");
            return new DownloadResult(entry.Name, target, Downloaded: true, verified);
        }
        catch (DatasetDownloadException) { throw; }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new DatasetDownloadException($"download {entry.Name}: cancelled; nothing was installed", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new DatasetDownloadException($"download {entry.Name}: {e.Message}; nothing was installed", e);
        }
        finally
        {
            TryDelete(temp);
            if (createdRoot is not null && Directory.Exists(createdRoot)
                && !Directory.EnumerateFiles(createdRoot, "*", SearchOption.AllDirectories).Any()) TryDelete(createdRoot);
        }
    }

    /// <summary>A fresh temporary folder inside <paramref name="toDir"/> (created if missing) that the download fills.</summary>
    private static string CreateWorkFolder(CatalogEntry entry, string toDir)
    {
        try
        {
            Directory.CreateDirectory(toDir);
            var temp = Path.Combine(Path.GetFullPath(toDir), $".download-{entry.Name}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temp);
            return temp;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetDownloadException($"download {entry.Name}: cannot write to {toDir} ({e.Message})", e);
        }
    }

    /// <summary>Every resource of <paramref name="entry"/> fetched into <paramref name="files"/>, with its verified MD5.</summary>
    private async Task<List<(string, string)>> FetchAllVerifiedAsync(CatalogEntry entry, string files, CancellationToken ct)
    {
        var verified = new List<(string, string)>();
        foreach (var resource in entry.Resources)
        {
            var path = Path.Combine(files, resource.FileName);
            var md5 = await FetchVerifiedAsync(entry, resource, path, ct).ConfigureAwait(false);
            verified.Add((resource.FileName, md5));
        }
        return verified;
    }

    /// <summary>The folder that becomes the dataset: the archive's inner folder once unpacked, or the files as fetched; it must hold every required file.</summary>
    private static string Unpack(CatalogEntry entry, string temp, string files)
    {
        string ready;
        if (entry.ArchiveFolder is { } inner)
        {
            var extracted = Path.Combine(temp, "extracted");
            foreach (var resource in entry.Resources.Where(r => r.IsArchive))
                ExtractTarGz(entry, Path.Combine(files, resource.FileName), extracted);
            ready = Path.Combine(extracted, inner);
            if (!Directory.Exists(ready))
                throw new DatasetDownloadException($"download {entry.Name}: the archive has no folder {inner}/; expected the official archive layout");
        }
        else
        {
            ready = files;
        }
        var missing = entry.RequiredFiles.Where(f => !File.Exists(Path.Combine(ready, f))).ToArray();
        if (missing.Length > 0)
            throw new DatasetDownloadException($"download {entry.Name}: the download lacks {string.Join(", ", missing)}; nothing was installed");
        return ready;
    }

    /// <summary>Moves <paramref name="ready"/> to <paramref name="target"/>; an existing target goes into <paramref name="temp"/> (deleted with it).</summary>
    private static void Install(string ready, string target, string temp)
    {
        if (Directory.Exists(target))
        {
            // --force: swap the old folder out only now that the new copy is complete.
            var old = Path.Combine(temp, "old");
            Directory.Move(target, old);
        }
        Directory.Move(ready, target);
    }

    /// <summary>Fetches <paramref name="resource"/> to <paramref name="path"/> from the first URL that answers with the right MD5.</summary>
    private async Task<string> FetchVerifiedAsync(CatalogEntry entry, DatasetResource resource, string path, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var url in resource.Urls)
        {
            _log.WriteLine($"{entry.Name}: downloading {url}");
            try
            {
                using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    continue;
                }
                using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                long bytes = 0;
                await using (var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
                await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        md5.AppendData(buffer, 0, n);
                        await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                        bytes += n;
                    }
                }
                var actual = Convert.ToHexStringLower(md5.GetHashAndReset());
                if (!string.Equals(actual, resource.Md5, StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{url}: checksum mismatch (md5 {actual}, expected {resource.Md5}, {bytes} bytes)");
                    File.Delete(path);
                    continue;
                }
                _log.WriteLine($"{entry.Name}: {resource.FileName} md5 {actual} OK ({bytes} bytes)");
                return actual;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{url}: {e.Message} (offline?)");
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                failures.Add($"{url}: timed out ({e.Message})");
            }
        }
        throw new DatasetDownloadException($"download {entry.Name}: could not get a verified {resource.FileName}: {string.Join("; ", failures)}; nothing was installed");
    }

    /// <summary>Unpacks regular files and folders of a .tar.gz under <paramref name="into"/>; rejects absolute paths and "..".</summary>
    private static void ExtractTarGz(CatalogEntry entry, string archive, string into)
    {
        Directory.CreateDirectory(into);
        var root = Path.GetFullPath(into) + Path.DirectorySeparatorChar;
        using var file = File.OpenRead(archive);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } item)
        {
            var name = item.Name.Replace('\\', '/');
            if (name.Length == 0) continue;
            var dest = Path.GetFullPath(Path.Combine(into, name));
            if (Path.IsPathRooted(name) || !dest.StartsWith(root, StringComparison.Ordinal) || name.Split('/').Contains(".."))
                throw new DatasetDownloadException($"download {entry.Name}: the archive entry \"{item.Name}\" points outside the target folder; refusing to unpack");
            switch (item.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(dest);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
                    item.ExtractToFile(dest, overwrite: true);
                    break;
                default:
                    break; // links, devices, global headers: not part of the official archives, skipped
            }
        }
    }

    /// <summary>The outermost folder of <paramref name="dir"/>'s path that does not exist yet (null if it exists).</summary>
    private static string? HighestMissingFolder(string dir)
    {
        string? missing = null;
        for (var d = dir; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d)) missing = d;
        return missing;
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Releases the HTTP client (not an injected handler).</summary>
    public void Dispose() => _http.Dispose();
}
