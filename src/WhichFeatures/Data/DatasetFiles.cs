using System.Buffers.Binary;
using System.IO.Compression;

namespace WhichFeatures.Data;

/// <summary>
/// Finding and reading dataset files: each file may be stored plain or gzipped (<c>name</c> or <c>name.gz</c>).
/// Every failure becomes a <see cref="DatasetFormatException"/> naming the file.
/// </summary>
internal static class DatasetFiles
{
    /// <summary>Largest decompressed file we accept (guards against a corrupt header or a gzip bomb).</summary>
    public static readonly long MaxFileBytes = Array.MaxLength;

    /// <summary>The path of <paramref name="baseName"/> or <paramref name="baseName"/>.gz in <paramref name="dir"/>, whichever exists; null when neither does.</summary>
    public static string? TryFind(string dir, string baseName)
    {
        foreach (var candidate in Candidates(dir, baseName))
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
        return null;
    }

    /// <summary>Like <see cref="TryFind"/> but a missing file is an error listing what was looked for.</summary>
    public static string Find(string dir, string baseName)
    {
        if (!Directory.Exists(dir))
            throw new DatasetFormatException(dir, "folder", File.Exists(dir) ? "is a file; expected a folder holding the dataset files" : "does not exist");
        return TryFind(dir, baseName)
            ?? throw new DatasetFormatException(Path.Combine(dir, baseName), "file",
                $"missing; looked for {string.Join(" and ", Candidates(dir, baseName))}");
    }

    /// <summary>The two names looked for: plain, then gzipped.</summary>
    public static string[] Candidates(string dir, string baseName) =>
        new[] { Path.Combine(dir, baseName), Path.Combine(dir, baseName + ".gz") };

    /// <summary>Reads a whole file, decompressing it when its name ends in .gz.</summary>
    public static byte[] ReadAll(string path)
    {
        if (Directory.Exists(path)) throw new DatasetFormatException(path, "file", "is a directory; expected a file");
        if (!File.Exists(path)) throw new DatasetFormatException(path, "file", "does not exist");
        try
        {
            var raw = File.ReadAllBytes(path);
            return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path, raw) : raw;
        }
        catch (DatasetFormatException) { throw; }
        catch (UnauthorizedAccessException e) { throw new DatasetFormatException(path, "file", "is not readable (permission denied)", e); }
        catch (OutOfMemoryException e) { throw new DatasetFormatException(path, "file", "is too large to load into memory", e); }
        catch (IOException e) { throw new DatasetFormatException(path, "file", $"could not be read ({e.Message})", e); }
    }

    /// <summary>Reads a small text file (label names), plain or .gz; lines trimmed, empty lines dropped.</summary>
    public static string[] ReadNonEmptyLines(string path)
    {
        var bytes = ReadAll(path);
        string text;
        try { text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (System.Text.DecoderFallbackException e) { throw new DatasetFormatException(path, "text", "expected UTF-8 text, one label name per line", e); }
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
    }

    /// <summary>
    /// Decompresses a gzip file held in memory. .NET's GZipStream returns short data without an error when
    /// the file is truncated, so the decompressed length is checked against the ISIZE field of the trailer
    /// (the last 4 bytes: length mod 2^32). A multi-member gzip (concatenated .gz files) fails that check
    /// and is reported as such; the official files are single-member.
    /// </summary>
    private static byte[] Gunzip(string path, byte[] raw)
    {
        if (raw.Length == 0) throw new DatasetFormatException(path, "gzip", "file is empty; expected gzip data");
        if (raw.Length < 18 || raw[0] != 0x1f || raw[1] != 0x8b)
            throw new DatasetFormatException(path, "gzip header", $"expected the gzip magic 1f 8b and at least 18 bytes, found {raw.Length} bytes starting {Hex(raw, 2)}");
        // The trailer's ISIZE is the exact length of a valid file: use it as the capacity (no regrowth, no final
        // copy), but never trust it beyond 8x the compressed size (a corrupt trailer must not allocate gigabytes).
        uint trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4));
        long capacity = Math.Min(Math.Min((long)trailerSize, (long)raw.Length * 8), MaxFileBytes);
        var output = new MemoryStream(capacity: (int)Math.Max(capacity, 16));
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gz.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > MaxFileBytes)
                    throw new DatasetFormatException(path, "gzip data", $"decompresses to more than {MaxFileBytes} bytes; expected a dataset file");
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, "gzip data", $"corrupt gzip stream after {output.Length} decompressed bytes (bad deflate data or CRC mismatch)", e);
        }
        uint isize = trailerSize;
        if (isize != unchecked((uint)output.Length))
            throw new DatasetFormatException(path, "gzip trailer",
                $"truncated or corrupt gzip: decompressed {output.Length} bytes but the trailer records {isize} (mod 2^32); expected a complete single-member gzip file");
        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }

    /// <summary>" (the file looks gzip-compressed: ...)" when a file not named .gz starts with the gzip magic, else "".</summary>
    public static string GzipHint(string path, ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b && !path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? "; the file looks gzip-compressed: name it with a .gz suffix"
            : "";

    /// <summary>The first <paramref name="count"/> bytes in hex, for messages.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes, int count)
    {
        var n = Math.Min(count, bytes.Length);
        return n == 0 ? "(nothing)" : string.Join(" ", bytes[..n].ToArray().Select(b => b.ToString("x2")));
    }
}
