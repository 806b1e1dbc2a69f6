using WhichFeatures.Diagnosis;
using WhichFeatures.Interop;
using WhichFeatures.Tests.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Interop;

/// <summary>Files written by NumPy are read exactly; files we write are read back by NumPy exactly.</summary>
[Collection("torch")]
public class NumPyInteropTests
{
    // String label arrays as NumPy writes them (unicode '<U', bytes '|S', Fortran order, non-ASCII text, empty =
    // unknown) are categories; an .npz holding embeddings and string labels serves as both --embeddings and --labels.
    [SkippableFact]
    public void ReadsNumPyStringLabelArraysAsCategories()
    {
        DebianPython.Require("numpy");
        using var tmp = DataTestFiles.NewTempDir();
        DebianPython.RunOk("""
            import numpy as np
            rng = np.random.default_rng(3)
            names = np.array(['cat', 'dog', 'bird', 'rhinocéros', ''] * 8)
            x = rng.normal(size=(40, 6)).astype(np.float32)
            x[:, 0] += np.array([0, 3, 6, 9, 12] * 8)
            np.save('u.npy', names)
            np.save('s.npy', names[:3].astype('S'))
            np.save('f2.npy', np.asfortranarray(names.reshape(8, 5)))
            np.savez('both.npz', embeddings=x, species=names, parity=np.array(['even', 'odd'] * 20))
            with open('truth.txt', 'w', encoding='utf-8') as f:
                f.write('\n'.join(names.tolist()) + '\n' + str(names.dtype) + '\n' + '|'.join(np.ascontiguousarray(np.asfortranarray(names.reshape(8, 5))).ravel().tolist()))
            """, tmp.Path);
        var truth = File.ReadAllLines(Path.Combine(tmp.Path, "truth.txt"), System.Text.Encoding.UTF8);
        var u = NpyFile.Read(Path.Combine(tmp.Path, "u.npy"));
        Assert.Equal(truth[40], u.Dtype);   // '<U10'
        Assert.Equal(truth[..40], u.Strings);
        Assert.Equal(["cat", "dog", "bird"], NpyFile.Read(Path.Combine(tmp.Path, "s.npy")).Strings!);
        Assert.Equal(truth[41].Split('|'), NpyFile.Read(Path.Combine(tmp.Path, "f2.npy")).Strings);

        var both = Path.Combine(tmp.Path, "both.npz");
        using var x = EmbeddingFiles.ReadEmbeddings(both, "--embeddings");
        Assert.Equal([40L, 6], x.shape);
        var cells = EmbeddingFiles.ReadAttributeCells(both, "--labels");
        var species = cells.Single(c => c.Name == "species").Cells;
        Assert.Equal(truth[..40].Select(v => v.Length == 0 ? null : v), species);
        var (train, _) = DiagnoseInputs.FromFiles(both, both, null, null);
        using (train)
            Assert.Equal(["bird", "cat", "dog", "rhinoc\u00e9ros"], train.Attributes.Single(a => a.Name == "species").Categories);
    }

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
