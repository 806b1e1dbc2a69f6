using System.Buffers.Binary;

namespace WhichFeatures.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type byte (0x08 = unsigned byte), the number of
/// dimensions, then each dimension as a big-endian int32, then the data in row-major order.
/// </summary>
internal static class IdxFile
{
    /// <summary>Reads an unsigned-byte IDX file with exactly <paramref name="expectedDims"/> dimensions.</summary>
    /// <param name="path">The file (plain or .gz).</param>
    /// <param name="expectedDims">1 for labels, 3 for images.</param>
    /// <param name="what">"images" or "labels", for messages.</param>
    /// <returns>The dimensions and the data bytes (exactly their product).</returns>
    public static (int[] Dims, ArraySegment<byte> Data) Read(string path, int expectedDims, string what)
    {
        var bytes = DatasetFiles.ReadAll(path);
        var expectedMagic = $"00 00 08 {expectedDims:x2}";
        if (bytes.Length < 4)
            throw new DatasetFormatException(path, "IDX magic", $"{(bytes.Length == 0 ? "file is empty (0 bytes)" : $"file has {bytes.Length} bytes")}; expected at least the 4-byte magic {expectedMagic} ({what})");
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != expectedDims)
            throw new DatasetFormatException(path, "IDX magic",
                $"expected {expectedMagic} (unsigned bytes, {expectedDims} dimension(s): {what}), found {DatasetFiles.Hex(bytes, 4)}{DatasetFiles.GzipHint(path, bytes)}");
        int header = 4 + 4 * expectedDims;
        if (bytes.Length < header)
            throw new DatasetFormatException(path, "IDX header", $"truncated: {bytes.Length} bytes; expected a {header}-byte header with {expectedDims} dimension(s)");
        var dims = new int[expectedDims];
        long product = 1;
        for (int d = 0; d < expectedDims; d++)
        {
            int value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (value <= 0)
                throw new DatasetFormatException(path, $"IDX dimension {d}", $"expected a positive size, found {value}");
            dims[d] = value;
            product *= value;
            if (product > Array.MaxLength)
                throw new DatasetFormatException(path, "IDX dimensions", $"[{string.Join(", ", dims.Take(d + 1))}...] holds more than {Array.MaxLength} bytes; the header is corrupt");
        }
        long payload = bytes.Length - header;
        if (payload != product)
            throw new DatasetFormatException(path, "IDX data size",
                payload < product
                    ? $"truncated: the header says [{string.Join(", ", dims)}] = {product} bytes of {what}, but only {payload} follow"
                    : $"the header says [{string.Join(", ", dims)}] = {product} bytes of {what}, but {payload} follow ({payload - product} extra)");
        return (dims, new ArraySegment<byte>(bytes, header, bytes.Length - header));
    }
}
