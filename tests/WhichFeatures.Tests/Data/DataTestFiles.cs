using System.Buffers.Binary;
using System.IO.Compression;

namespace WhichFeatures.Tests.Data;

/// <summary>Writes small dataset files in the official formats, and finds ../shared/data.</summary>
internal static class DataTestFiles
{
    public const int CifarPixels = 3072;

    /// <summary>A fresh empty temp folder (deleted by <see cref="TempDir.Dispose"/>).</summary>
    public static TempDir NewTempDir() => new();

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>Writes <paramref name="content"/> to path (gzipped and with ".gz" appended when <paramref name="gz"/>); returns the path written.</summary>
    public static string Write(string path, byte[] content, bool gz)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (gz) path += ".gz";
        File.WriteAllBytes(path, gz ? Gzip(content) : content);
        return path;
    }

    /// <summary>CIFAR records: per record the label bytes then 3072 pixels.</summary>
    public static byte[] CifarRecords(byte[][] labelBytes, byte[] pixels)
    {
        int n = labelBytes.Length, lb = n == 0 ? 0 : labelBytes[0].Length, rec = lb + CifarPixels;
        var bytes = new byte[n * rec];
        for (int i = 0; i < n; i++)
        {
            Buffer.BlockCopy(labelBytes[i], 0, bytes, i * rec, lb);
            Buffer.BlockCopy(pixels, i * CifarPixels, bytes, i * rec + lb, CifarPixels);
        }
        return bytes;
    }

    public static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>An unsigned-byte IDX file with the given dimensions.</summary>
    public static byte[] Idx(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>A tiny CIFAR-10 folder: batches 1 and 3 (plain / gz as asked), a test batch; returns the labels and pixels written.</summary>
    public static (byte[] TrainLabels, byte[] TrainPixels, byte[] TestLabels, byte[] TestPixels) WriteCifar10(string dir, Random rng, bool gz, int n1 = 7, int n3 = 5, int nTest = 4)
    {
        byte[] L(int n) => Enumerable.Range(0, n).Select(_ => (byte)rng.Next(10)).ToArray();
        var l1 = L(n1); var p1 = RandomBytes(rng, n1 * CifarPixels);
        var l3 = L(n3); var p3 = RandomBytes(rng, n3 * CifarPixels);
        var lt = L(nTest); var pt = RandomBytes(rng, nTest * CifarPixels);
        Write(Path.Combine(dir, "data_batch_1.bin"), CifarRecords(l1.Select(b => new[] { b }).ToArray(), p1), gz);
        Write(Path.Combine(dir, "data_batch_3.bin"), CifarRecords(l3.Select(b => new[] { b }).ToArray(), p3), !gz);
        Write(Path.Combine(dir, "test_batch.bin"), CifarRecords(lt.Select(b => new[] { b }).ToArray(), pt), gz);
        return (l1.Concat(l3).ToArray(), p1.Concat(p3).ToArray(), lt, pt);
    }

    /// <summary>A tiny MNIST folder (both splits); returns what was written.</summary>
    public static (byte[] TrainLabels, byte[] TrainPixels, byte[] TestLabels, byte[] TestPixels) WriteMnist(string dir, Random rng, bool gz, int nTrain = 9, int nTest = 6, int rows = 28, int cols = 28)
    {
        var lTrain = Enumerable.Range(0, nTrain).Select(_ => (byte)rng.Next(10)).ToArray();
        var pTrain = RandomBytes(rng, nTrain * rows * cols);
        var lTest = Enumerable.Range(0, nTest).Select(_ => (byte)rng.Next(10)).ToArray();
        var pTest = RandomBytes(rng, nTest * rows * cols);
        Write(Path.Combine(dir, "train-images-idx3-ubyte"), Idx(new[] { nTrain, rows, cols }, pTrain), gz);
        Write(Path.Combine(dir, "train-labels-idx1-ubyte"), Idx(new[] { nTrain }, lTrain), gz);
        Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), Idx(new[] { nTest, rows, cols }, pTest), !gz);
        Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Idx(new[] { nTest }, lTest), !gz);
        return (lTrain, pTrain, lTest, pTest);
    }

    /// <summary>../shared/data (or $WHICHFEATURES_SHARED/data), found by walking up from the test binaries; null when absent.</summary>
    public static string? SharedData()
    {
        var env = Environment.GetEnvironmentVariable("WHICHFEATURES_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            foreach (var c in new[] { Path.Combine(env, "data"), env })
                if (Directory.Exists(Path.Combine(c, "mnist")) || Directory.Exists(Path.Combine(c, "cifar-10-batches-bin"))) return c;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var c in new[] { Path.Combine(dir.FullName, "shared", "data"), Path.Combine(dir.FullName, "..", "shared", "data") })
                if (Directory.Exists(c)) return Path.GetFullPath(c);
        }
        return null;
    }
}

/// <summary>A temp folder removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "wf-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
