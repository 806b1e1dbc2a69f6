using System.IO.Compression;
using WhichFeatures.Core;

namespace WhichFeatures.Interop;

/// <summary>
/// NumPy's .npz: a zip archive (stored or deflated, as <c>np.savez</c> / <c>np.savez_compressed</c> write it) of
/// .npy members, one per named array ("name.npy"). The zip part is .NET's own System.IO.Compression.
/// </summary>
public static class NpzFile
{
    /// <summary>Reads every array; keys are the names without ".npy".</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path, string? display = null)
    {
        display ??= path;
        if (!File.Exists(path)) throw new UserInputException($"{display}: file not found.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var e in zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)))
            {
                // A seekable copy, so the reader can check the declared size against the real one before allocating.
                using var s = new MemoryStream(checked((int)Math.Min(e.Length, int.MaxValue)));
                using (var z = e.Open()) z.CopyTo(s);
                s.Position = 0;
                arrays[e.FullName[..^4]] = NpyFile.Read(s, $"{display} (array '{e.FullName[..^4]}')");
            }
            if (arrays.Count == 0) throw new UserInputException($"{display}: the .npz archive holds no .npy arrays.");
            return arrays;
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"{display}: not a readable .npz (zip) archive ({e.Message}).", e);
        }
    }

    /// <summary>A named array to write.</summary>
    /// <param name="Name">Array name (the key NumPy shows).</param>
    /// <param name="Floats">float32 values, or null.</param>
    /// <param name="Longs">int64 values, or null.</param>
    /// <param name="Shape">The shape.</param>
    public sealed record Entry(string Name, float[]? Floats, long[]? Longs, long[] Shape);

    /// <summary>Writes the arrays as an uncompressed .npz (like <c>np.savez</c>), atomically.</summary>
    public static void Write(string path, IEnumerable<Entry> entries) =>
        Reporting.AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var e in entries)
            {
                using var m = zip.CreateEntry(e.Name + ".npy", CompressionLevel.NoCompression).Open();
                if (e.Floats is not null) NpyFile.WriteFloat32(m, e.Floats, e.Shape);
                else NpyFile.WriteInt64(m, e.Longs!, e.Shape);
            }
        });
}
