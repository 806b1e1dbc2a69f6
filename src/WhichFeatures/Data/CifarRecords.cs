using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// The CIFAR binary record layout shared by CIFAR-10 and CIFAR-100: <c>labelBytes</c> label bytes, then
/// 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major), which is exactly [3, 32, 32].
/// </summary>
internal static class CifarRecords
{
    public const int Side = 32;
    public const int PixelBytes = 3 * Side * Side;

    /// <summary>
    /// Splits the concatenated records of several files into one pixel array and one label array per label
    /// byte, checking the size and every label's range. <paramref name="labelFields"/> names each label byte
    /// and gives its number of classes.
    /// </summary>
    public static (byte[] Pixels, long[][] Labels) Parse(IReadOnlyList<(string Path, byte[] Bytes)> files,
        IReadOnlyList<(string Field, int Classes)> labelFields)
    {
        int labelBytes = labelFields.Count;
        int record = labelBytes + PixelBytes;
        long total = 0;
        foreach (var (path, bytes) in files)
        {
            if (bytes.Length == 0)
                throw new DatasetFormatException(path, "file size", $"file is empty; expected a positive multiple of the {record}-byte record ({labelBytes} label byte(s) + {PixelBytes} pixels)");
            if (bytes.Length % record != 0)
                throw new DatasetFormatException(path, "file size",
                    $"{bytes.Length} bytes is not a multiple of the {record}-byte record ({labelBytes} label byte(s) + {PixelBytes} pixels): truncated or not a CIFAR binary file ({bytes.Length / record} whole records + {bytes.Length % record} bytes){DatasetFiles.GzipHint(path, bytes)}");
            total += bytes.Length / record;
        }
        if (total * PixelBytes > Array.MaxLength)
            throw new DatasetFormatException(files[0].Path, "record count", $"{total} records do not fit in one array; expected at most {Array.MaxLength / PixelBytes}");
        var pixels = new byte[total * PixelBytes];
        var labels = Enumerable.Range(0, labelBytes).Select(_ => new long[total]).ToArray();
        long at = 0;
        foreach (var (path, bytes) in files)
        {
            long count = bytes.Length / record;
            for (long r = 0; r < count; r++, at++)
            {
                long offset = r * record;
                for (int f = 0; f < labelBytes; f++)
                {
                    byte value = bytes[offset + f];
                    if (value >= labelFields[f].Classes)
                        throw new DatasetFormatException(path, $"{labelFields[f].Field} of record {r} (byte offset {offset + f})",
                            $"label {value} out of range; expected 0 to {labelFields[f].Classes - 1}");
                    labels[f][at] = value;
                }
                Buffer.BlockCopy(bytes, (int)(offset + labelBytes), pixels, (int)(at * PixelBytes), PixelBytes);
            }
        }
        return (pixels, labels);
    }

    /// <summary>uint8 [N, C, H, W] from a managed pixel array (copied into the tensor).</summary>
    public static Tensor ImageTensor(ReadOnlySpan<byte> pixels, long n, long c, long h, long w) =>
        TensorBytes.FromBytes(pixels, n, c, h, w);                                                   // [N, C, H, W]

    /// <summary>int64 [N] from a managed label array.</summary>
    public static Tensor LabelTensor(long[] labels) => tensor(labels, dtype: ScalarType.Int64);      // [N]
}
