using WhichFeatures.Diagnostics;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Interop;

/// <summary>Files written by NumPy are read exactly; files we write are read back by NumPy exactly.</summary>
[Collection("torch")]
public class NumPyInteropTests
{
    [SkippableFact]
    public void ReadsNumPyFilesExactly()
    {
        DebianPython.Require("numpy");
        using var tmp = DataTestFiles.NewTempDir();
        // NumPy writes each array and, beside it, its values in C order as raw little-endian float64 (the truth).
        DebianPython.RunOk("""
            import numpy as np
            rng = np.random.default_rng(7)
            a = rng.normal(size=(7, 5))
            arrays = {
                'c_f8': a, 'f_f8': np.asfortranarray(a), 'c_f4': a.astype(np.float32),
                'f_f4': np.asfortranarray(a.astype(np.float32)), 'big_f8': a.astype('>f8'),
                'lab_i8': rng.integers(-3, 9, size=7), 'lab_i4': rng.integers(0, 9, size=7).astype(np.int32),
                'lab_u1': rng.integers(0, 255, size=7).astype(np.uint8), 'lab_b1': rng.integers(0, 2, size=7).astype(bool),
                'f_3d': np.asfortranarray(rng.normal(size=(2, 3, 4))),
            }
            for k, v in arrays.items():
                np.save(k + '.npy', v)
                np.ascontiguousarray(v).astype('<f8').tofile(k + '.raw')
            np.savez('stored.npz', embeddings=a.astype(np.float32), cls=arrays['lab_i8'])
            np.savez_compressed('deflated.npz', embeddings=np.asfortranarray(a), cls=arrays['lab_i4'])
            """, tmp.Path);
        foreach (var name in new[] { "c_f8", "f_f8", "c_f4", "f_f4", "big_f8", "lab_i8", "lab_i4", "lab_u1", "lab_b1", "f_3d" })
        {
            var arr = NpyFile.Read(Path.Combine(tmp.Path, name + ".npy"));
            var truth = DebianPython.RawDoubles(Path.Combine(tmp.Path, name + ".raw"));
            double[] got = arr.Doubles ?? arr.Longs!.Select(v => (double)v).ToArray();
            Assert.Equal(truth, got);
        }
        Assert.Equal([2L, 3, 4], NpyFile.Read(Path.Combine(tmp.Path, "f_3d.npy")).Shape);

        var c = DebianPython.RawDoubles(Path.Combine(tmp.Path, "c_f4.raw"));
        foreach (var (file, expected) in new[] { ("stored.npz", c), ("deflated.npz", DebianPython.RawDoubles(Path.Combine(tmp.Path, "c_f8.raw"))) })
        {
            var z = NpzFile.Read(Path.Combine(tmp.Path, file));
            Assert.Equal(expected, z["embeddings"].Doubles);
            // Through the diagnose reader: float32 tensor [7, 5] with the float32 of each value.
            using var t = EmbeddingFiles.ReadEmbeddings(Path.Combine(tmp.Path, file), "--embeddings");
            Assert.Equal(new long[] { 7, 5 }, t.shape);
            Assert.Equal(expected.Select(v => (float)v).ToArray(), t.data<float>().ToArray());
        }
        var labels = EmbeddingFiles.ReadAttributeCells(Path.Combine(tmp.Path, "deflated.npz"), "--labels");
        Assert.Equal(DebianPython.RawDoubles(Path.Combine(tmp.Path, "lab_i4.raw")).Select(v => ((long)v).ToString()).ToArray(), labels.Single().Cells);
    }

    [SkippableFact]
    public void NumPyReadsWhatWeWriteExactly()
    {
        DebianPython.Require("numpy");
        using var tmp = DataTestFiles.NewTempDir();
        manual_seed(4);
        using var x = randn(9, 6) * 1e3;                                    // [9, 6]
        using var y = randint(0, 4, 9, dtype: ScalarType.Int64);           // [9]
        var names = new Dictionary<string, IReadOnlyList<string>> { ["class"] = ["a", "b", "c", "d"] };
        var split = new RepresentationExport.Split("train", x, new Dictionary<string, Tensor> { ["class"] = y }, names);
        foreach (var fmt in RepresentationExport.Formats)
            RepresentationExport.Write(tmp.Sub(fmt), fmt, [split]);
        // NumPy loads each format and dumps raw float64 / int64 in C order.
        DebianPython.RunOk("""
            import numpy as np
            e = np.load('npy/train_embeddings.npy'); assert e.dtype == np.float32 and e.shape == (9, 6)
            e.astype('<f8').tofile('npy.raw'); np.load('npy/train_class.npy').astype('<f8').tofile('npy_class.raw')
            z = np.load('npz/train.npz'); assert z['embeddings'].dtype == np.float32
            z['embeddings'].astype('<f8').tofile('npz.raw'); z['class'].astype('<f8').tofile('npz_class.raw')
            t = np.loadtxt('tsv/train_embeddings.tsv', delimiter='\t', dtype=np.float32); t.astype('<f8').tofile('tsv.raw')
            """, tmp.Path);
        var truth = x.data<float>().ToArray().Select(v => (double)v).ToArray();
        var labels = y.data<long>().ToArray().Select(v => (double)v).ToArray();
        Assert.Equal(truth, DebianPython.RawDoubles(Path.Combine(tmp.Path, "npy.raw")));
        Assert.Equal(truth, DebianPython.RawDoubles(Path.Combine(tmp.Path, "npz.raw")));
        Assert.Equal(truth, DebianPython.RawDoubles(Path.Combine(tmp.Path, "tsv.raw")));
        Assert.Equal(labels, DebianPython.RawDoubles(Path.Combine(tmp.Path, "npy_class.raw")));
        Assert.Equal(labels, DebianPython.RawDoubles(Path.Combine(tmp.Path, "npz_class.raw")));
        var meta = File.ReadAllLines(Path.Combine(tmp.Path, "tsv", "train_metadata.tsv"));
        Assert.Equal("class", meta[0]);
        Assert.Equal(y.data<long>().ToArray().Select(v => names["class"][(int)v]).ToArray(), meta[1..]);
    }
}
