using System.Diagnostics;
using WhichFeatures.Core;
using WhichFeatures.Diagnosis;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>
/// Seeded random byte flips and truncations of valid .npy, .npz and label .csv files: reading either succeeds
/// (the file is still valid) or raises a <see cref="UserInputException"/>; never another exception, never a hang.
/// </summary>
[Collection("torch")]
public class EmbeddingFileMutationTests
{
    [Fact]
    public void RandomFlipsAndTruncationsGiveDataOrAUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var rng = new Random(20261129);
        var x = Enumerable.Range(0, 8 * 3).Select(i => (float)Math.Sin(i)).ToArray();
        string npy = Path.Combine(tmp.Path, "good.npy"), npz = Path.Combine(tmp.Path, "good.npz"), csv = Path.Combine(tmp.Path, "good.csv");
        NpyFile.WriteFloat32(npy, x, 8, 3);
        NpzFile.Write(npz, [new("embeddings", x, null, [8, 3]), new("class", null, [0, 1, 0, 1, 0, 1, 0, 1], [8])]);
        File.WriteAllText(csv, "id,class,colour\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"{i},c{i % 2},{(i % 3 == 0 ? "red" : "blue")}\n")));
        var targets = new (string File, Action<string> Read)[]
        {
            (npy, f => EmbeddingFiles.ReadEmbeddings(f, "--embeddings").Dispose()),
            (npz, f => EmbeddingFiles.ReadEmbeddings(f, "--embeddings").Dispose()),
            (npz, f => EmbeddingFiles.ReadAttributeCells(f, "--labels")),
            (csv, f => EmbeddingFiles.ReadAttributeCells(f, "--labels")),
        };
        int loaded = 0, rejected = 0;
        var sw = Stopwatch.StartNew();
        for (int c = 0; c < 240; c++)
        {
            var (file, read) = targets[c % targets.Length];
            var bytes = File.ReadAllBytes(file);
            int kind = rng.Next(3);
            if (kind != 1)
                for (int f = rng.Next(1, 6); f > 0; f--)
                {
                    int at = rng.Next(2) == 0 ? rng.Next(Math.Min(80, bytes.Length)) : rng.Next(bytes.Length);   // headers first
                    bytes[at] ^= (byte)rng.Next(1, 256);
                }
            if (kind != 0) bytes = bytes.AsSpan(0, rng.Next(bytes.Length)).ToArray();
            var mutated = Path.Combine(tmp.Path, $"m{c}{Path.GetExtension(file)}");
            File.WriteAllBytes(mutated, bytes);
            try { read(mutated); loaded++; }
            catch (UserInputException) { rejected++; }
            File.Delete(mutated);
        }
        Assert.True(rejected > 0 && loaded > 0, $"loaded {loaded}, rejected {rejected}: both outcomes should occur");
        Assert.True(sw.Elapsed.TotalSeconds < 60, $"took {sw.Elapsed.TotalSeconds:0} s");
    }
}
