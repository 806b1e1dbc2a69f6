using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WhichFeatures.Core;

namespace WhichFeatures.Interop;

/// <summary>
/// Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0: magic "\x93NUMPY", a little-endian header
/// length, a Python-dict header with 'descr', 'fortran_order' and 'shape', then the raw data).
/// </summary>
/// <remarks>
/// Why our own code: the only .NET package on the registry that reads .npy is NumSharp, which is large, unmaintained
/// since 2021 and pulls a whole ndarray library in for a 100-line format. This reader is tested against files that
/// NumPy itself writes (tests/WhichFeatures.Tests/Interop), including Fortran order, float32, float64, int32/int64/bool
/// labels and truncated files; the writer is tested by reading its output back with NumPy.
/// Supported dtypes: little-endian or native float32 (f4), float64 (f8), int8/16/32/64, uint8/16/32, bool, and
/// fixed-width strings: unicode ('U', UTF-32 code units) and bytes ('S', read as Latin-1).
/// </remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads <paramref name="path"/>; errors name the file (<paramref name="display"/> if given) and say what was expected.</summary>
    public static NpyArray Read(string path, string? display = null)
    {
        display ??= path;
        if (!File.Exists(path)) throw new UserInputException($"{display}: file not found.");
        using var s = File.OpenRead(path);
        return Read(s, display);
    }

    /// <summary>Reads one array from <paramref name="stream"/> (a file or an .npz member).</summary>
    public static NpyArray Read(Stream stream, string display)
    {
        var pre = ReadExactly(stream, 8, display, "the .npy preamble");
        if (!pre.AsSpan(0, 6).SequenceEqual(Magic))
            throw new UserInputException($"{display}: not a NumPy .npy file (the magic string \\x93NUMPY is missing).");
        int major = pre[6];
        int headerLen = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, display, "the header length")),
            2 or 3 => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, display, "the header length"))),
            _ => throw new UserInputException($"{display}: .npy format version {major}.{pre[7]} is not supported (expected 1.0, 2.0 or 3.0)."),
        };
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(ReadExactly(stream, headerLen, display, "the header"));
        var (descr, fortran, shape) = ParseHeader(header, display);
        var (kind, size, swap) = ParseDescr(descr, display);
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        long bytes = checked(count * size);
        if (bytes > int.MaxValue) throw new UserInputException($"{display}: the array has {bytes} bytes; at most 2 GiB per array is supported.");
        // Check before allocating: a damaged header must not make us allocate gigabytes for data that is not there.
        if (stream.CanSeek && stream.Length - stream.Position < bytes)
            throw new UserInputException($"{display}: the file is truncated: the data of {count} values of dtype '{descr}' and shape ({string.Join(", ", shape)}) needs {bytes} bytes, only {stream.Length - stream.Position} are there.");
        var raw = ReadExactly(stream, (int)bytes, display, $"the data of {count} values of dtype '{descr}' and shape ({string.Join(", ", shape)})");
        if (swap) for (long i = 0; i < count; i++) Array.Reverse(raw, (int)(i * size), size);
        double[]? d = null; long[]? l = null; string[]? text = null;
        if (kind is 'U' or 'S')
        {
            text = new string[count];
            for (int i = 0; i < count; i++)
                text[i] = (kind == 'U' ? Encoding.UTF32 : Encoding.Latin1).GetString(raw, i * size, size).TrimEnd('\0');
        }
        else if (kind == 'f')
        {
            d = new double[count];
            for (int i = 0; i < count; i++)
                d[i] = size switch
                {
                    2 => (double)BitConverter.ToHalf(raw, i * 2),
                    4 => BitConverter.ToSingle(raw, i * 4),
                    _ => BitConverter.ToDouble(raw, i * 8),
                };
        }
        else
        {
            l = new long[count];
            for (int i = 0; i < count; i++)
                l[i] = (kind, size) switch
                {
                    ('b', 1) => raw[i] != 0 ? 1 : 0,
                    ('i', 1) => (sbyte)raw[i],
                    ('u', 1) => raw[i],
                    ('i', 2) => BitConverter.ToInt16(raw, i * 2),
                    ('u', 2) => BitConverter.ToUInt16(raw, i * 2),
                    ('i', 4) => BitConverter.ToInt32(raw, i * 4),
                    ('u', 4) => BitConverter.ToUInt32(raw, i * 4),
                    _ => BitConverter.ToInt64(raw, i * 8),
                };
        }
        if (fortran && shape.Length > 1)
        {
            if (d is not null) d = FortranToC(d, shape);
            else if (l is not null) l = FortranToC(l, shape);
            else text = FortranToC(text!, shape);
        }
        return new NpyArray(shape, descr, d, l) { Strings = text };
    }

    /// <summary>Writes a float32 array of <paramref name="shape"/> (row-major values) as .npy version 1.0, atomically.</summary>
    public static void WriteFloat32(string path, float[] values, params long[] shape) =>
        Reporting.AtomicFile.Write(path, s => WriteFloat32(s, values, shape));

    /// <summary>Writes an int64 array as .npy version 1.0, atomically.</summary>
    public static void WriteInt64(string path, long[] values, params long[] shape) =>
        Reporting.AtomicFile.Write(path, s => WriteInt64(s, values, shape));

    /// <summary>Writes a float32 array to a stream ('&lt;f4', C order).</summary>
    public static void WriteFloat32(Stream s, float[] values, long[] shape)
    {
        WriteHeader(s, "<f4", shape, values.Length);
        var buf = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(i * 4), values[i]);
        s.Write(buf);
    }

    /// <summary>Writes an int64 array to a stream ('&lt;i8', C order).</summary>
    public static void WriteInt64(Stream s, long[] values, long[] shape)
    {
        WriteHeader(s, "<i8", shape, values.Length);
        var buf = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(i * 8), values[i]);
        s.Write(buf);
    }

    private static void WriteHeader(Stream s, string descr, long[] shape, long count)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != count) throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} values");
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        // Version 1.0: 10 bytes of preamble + header padded with spaces to a multiple of 64, ending in '\n'.
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        s.Write(Magic);
        s.WriteByte(1); s.WriteByte(0);
        var len = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, checked((ushort)header.Length));
        s.Write(len);
        s.Write(Encoding.Latin1.GetBytes(header));
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string display)
    {
        var descr = Regex.Match(header, @"'descr'\s*:\s*'([^']*)'");
        var fortran = Regex.Match(header, @"'fortran_order'\s*:\s*(True|False)");
        var shape = Regex.Match(header, @"'shape'\s*:\s*\(([^)]*)\)");
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new UserInputException($"{display}: the .npy header is not understood (expected 'descr', 'fortran_order' and 'shape'; a structured dtype is not supported): {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => long.TryParse(t.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw new UserInputException($"{display}: bad shape in the .npy header: ({shape.Groups[1].Value})."))
            .ToArray();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static (char Kind, int Size, bool Swap) ParseDescr(string descr, string display)
    {
        var m = Regex.Match(descr, @"^([<>|=])([fiubUS])(\d+)$");
        string Unsupported() => $"{display}: unsupported dtype '{descr}'; expected float32, float64 (embeddings) or an integer, bool or string type (labels), little-endian.";
        if (!m.Success) throw new UserInputException(Unsupported());
        char kind = m.Groups[2].Value[0];
        int size = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (kind == 'U')
        {
            // 'U<n>': n UTF-32 code units per element; big-endian ones are not supported (NumPy writes native order).
            if (size < 1 || m.Groups[1].Value == ">") throw new UserInputException(Unsupported());
            return (kind, checked(size * 4), false);
        }
        bool ok = kind switch { 'f' => size is 2 or 4 or 8, 'i' => size is 1 or 2 or 4 or 8, 'u' => size is 1 or 2 or 4, 'S' => size >= 1, _ => size == 1 };
        if (!ok) throw new UserInputException(Unsupported());
        bool swap = m.Groups[1].Value == ">" && size > 1 && kind != 'S' && BitConverter.IsLittleEndian;
        return (kind, size, swap);
    }

    private static T[] FortranToC<T>(T[] src, long[] shape)
    {
        // Fortran order: the first index varies fastest. Walk C order and compute the Fortran offset.
        var dst = new T[src.Length];
        int nd = shape.Length;
        var fStride = new long[nd];
        fStride[0] = 1;
        for (int k = 1; k < nd; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
        var idx = new long[nd];
        for (long c = 0; c < dst.Length; c++)
        {
            long f = 0;
            for (int k = 0; k < nd; k++) f += idx[k] * fStride[k];
            dst[c] = src[f];
            for (int k = nd - 1; k >= 0; k--) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
        }
        return dst;
    }

    private static byte[] ReadExactly(Stream s, int n, string display, string what)
    {
        var buf = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.Read(buf, got, n - got);
            if (r == 0) throw new UserInputException($"{display}: the file is truncated: {what} needs {n} bytes, only {got} are there.");
            got += r;
        }
        return buf;
    }
}
