using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// The checkpoint file against its documented layout (Training/Checkpoint: "WFCKPT1\n", int32 header length, UTF-8
/// JSON header, int64 + model state, int32 count + (int64 + state) per optimizer, int64 + CPU RNG state; SHA-256 beside
/// it), read by a naive reader written here; and every way a file can break that layout, each made by editing one
/// field of a real checkpoint and re-hashing it (so the checksum passes and the layout check must catch it).
/// </summary>
[Collection("torch")]
public class CheckpointLayoutTests
{
    private static (nn.Module<Tensor, Tensor> Model, optim.Optimizer[] Optimizers) Make()
    {
        manual_seed(4);
        var model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2));
        var opts = new optim.Optimizer[] { optim.SGD(model.parameters(), 0.1, momentum: 0.9), optim.Adam(model.parameters(), 1e-3) };
        using var scope = NewDisposeScope();
        foreach (var o in opts) o.zero_grad();
        model.forward(randn(4, 3)).sum().backward();
        foreach (var o in opts) o.step();   // optimizer states with content
        return (model, opts);
    }

    private sealed record Layout(string HeaderJson, long HeaderOffset, long ModelLength, int OptimizerCount, long OptimizerCountOffset, long[] OptimizerLengths, long RngOffset, long RngLength, long End);

    // The documented layout, read field by field.
    private static Layout Read(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        Assert.Equal("WFCKPT1\n", Encoding.ASCII.GetString(r.ReadBytes(8)));
        long headerOffset = r.BaseStream.Position;
        int hl = r.ReadInt32();
        var json = Encoding.UTF8.GetString(r.ReadBytes(hl));
        long ml = r.ReadInt64();
        r.BaseStream.Seek(ml, SeekOrigin.Current);
        long countOffset = r.BaseStream.Position;
        int count = r.ReadInt32();
        var lengths = new long[count];
        for (int i = 0; i < count; i++) { lengths[i] = r.ReadInt64(); r.BaseStream.Seek(lengths[i], SeekOrigin.Current); }
        long rngOffset = r.BaseStream.Position;
        long rl = r.ReadInt64();
        r.BaseStream.Seek(rl, SeekOrigin.Current);
        return new Layout(json, headerOffset, ml, count, countOffset, lengths, rngOffset, rl, r.BaseStream.Position);
    }

    private static void Rewrite(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        File.WriteAllText(path + ".sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)) + "  " + Path.GetFileName(path) + "\n");
    }

    private static byte[] With(byte[] bytes, long offset, int value) { var b = (byte[])bytes.Clone(); BitConverter.GetBytes(value).CopyTo(b, offset); return b; }
    private static byte[] With(byte[] bytes, long offset, long value) { var b = (byte[])bytes.Clone(); BitConverter.GetBytes(value).CopyTo(b, offset); return b; }

    [Fact]
    public void ASavedCheckpointHasTheDocumentedLayoutAndChecksum()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        var header = new Checkpoint.Header("{\"seed\":3}", 2, 17, "[]", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var path = Checkpoint.Save(tmp.Path, header, model, opts);
        Assert.Equal(Path.Combine(tmp.Path, "checkpoint-0002.wfck"), path);
        var bytes = File.ReadAllBytes(path);
        var layout = Read(bytes);

        Assert.Equal(bytes.Length, layout.End);
        using (var doc = JsonDocument.Parse(layout.HeaderJson))
        {
            var names = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value);
            Assert.Equal(2, names["epoch"].GetInt32());
            Assert.Equal(17, names["step"].GetInt64());
            Assert.Equal("{\"seed\":3}", names["configjson"].GetString());
        }
        using (var ms = new MemoryStream()) using (var w = new BinaryWriter(ms)) { model.save(w); w.Flush(); Assert.Equal(ms.Length, layout.ModelLength); }
        Assert.Equal(2, layout.OptimizerCount);
        Assert.All(layout.OptimizerLengths, l => Assert.True(l > 0));
        using (var rng = random.get_rng_state()) Assert.Equal(rng.NumberOfElements, layout.RngLength);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)) + "  checkpoint-0002.wfck\n", File.ReadAllText(path + ".sha256"));

        // Loading restores the model, both optimizers (in order) and the RNG state.
        using var expected = rand(3);   // the draws right after the saved RNG state
        var (other, otherOpts) = Make();
        var back = Checkpoint.Load(path, other, otherOpts);
        Assert.Equal((2, 17L), (back.Epoch, back.Step));
        Assert.Equal(model.state_dict().Select(kv => kv.Value.data<float>().ToArray()), other.state_dict().Select(kv => kv.Value.data<float>().ToArray()));
        Assert.Equal(Bytes(opts[1]), Bytes(otherOpts[1]));
        Assert.Equal(Bytes(opts[0]), Bytes(otherOpts[0]));
        using var again = rand(3);   // the RNG continues from where it was saved
        Assert.Equal(expected.data<float>().ToArray(), again.data<float>().ToArray());
    }

    private static byte[] Bytes(optim.Optimizer o)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) ((TorchSharp.Modules.OptimizerHelper)o).save_state_dict(w);
        return ms.ToArray();
    }

    public static TheoryData<string> Breakages => new()
    {
        "bad magic", "negative header length", "header length past the end", "negative optimizer count", "17 optimizers",
        "model block past the end", "negative block length", "trailing byte", "cut after the header", "header not JSON", "null header",
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void EachBrokenFieldIsACheckpointFormatErrorNamingTheFileAndTheProblem(string breakage)
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        var path = Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", 1, 3, "[]", DateTime.UtcNow), model, opts);
        var bytes = File.ReadAllBytes(path);
        var l = Read(bytes);
        long modelLengthOffset = l.HeaderOffset + 4 + Encoding.UTF8.GetByteCount(l.HeaderJson);
        (byte[] broken, string problem) = breakage switch
        {
            "bad magic" => (bytes.Select((b, i) => i == 0 ? (byte)'X' : b).ToArray(), "bad magic"),
            "negative header length" => (With(bytes, l.HeaderOffset, -1), "header length -1 is out of range"),
            "header length past the end" => (With(bytes, l.HeaderOffset, bytes.Length + 1), $"header length {bytes.Length + 1} is out of range"),
            "negative optimizer count" => (With(bytes, l.OptimizerCountOffset, -1), "optimizer count -1 is out of range"),
            "17 optimizers" => (With(bytes, l.OptimizerCountOffset, 17), "optimizer count 17 is out of range"),
            "model block past the end" => (With(bytes, modelLengthOffset, (long)bytes.Length), "runs past the end"),
            "negative block length" => (With(bytes, l.RngOffset, -1L), "block length -1 runs past the end"),
            "trailing byte" => ([.. bytes, 0], "trailing bytes"),
            "cut after the header" => (bytes[..(int)(modelLengthOffset + 3)], "truncated or malformed"),
            "header not JSON" => (HeaderReplaced(bytes, l, "{not json"), "truncated or malformed"),
            "null header" => (HeaderReplaced(bytes, l, "null"), "empty header"),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };
        Rewrite(path, broken);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, model, opts));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(problem, e.Message);
    }

    private static byte[] HeaderReplaced(byte[] bytes, Layout l, string json)
    {
        var h = Encoding.UTF8.GetBytes(json);
        int oldLength = Encoding.UTF8.GetByteCount(l.HeaderJson);
        var head = bytes[..(int)l.HeaderOffset];
        var rest = bytes[(int)(l.HeaderOffset + 4 + oldLength)..];
        return [.. head, .. BitConverter.GetBytes(h.Length), .. h, .. rest];
    }

    [Fact]
    public void OptimizerCountMustMatchUnlessOnlyTheModelIsLoaded()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        var path = Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", 1, 3, "[]", DateTime.UtcNow), model, opts);
        var (other, otherOpts) = Make();
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, other, [otherOpts[0]]));
        Assert.Contains("holds 2 optimizer states, this run has 1", e.Message);
        Assert.Equal(1, Checkpoint.Load(path, other, []).Epoch);   // probing a finished run: model only
        var wrongModel = nn.Linear(3, 7);
        var misfit = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, wrongModel, []));
        Assert.Contains("does not fit this model/optimizer", misfit.Message);
    }

    [Fact]
    public void TheChecksumIsComparedIgnoringCaseAndAMissingFileOrChecksumIsNamed()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        var path = Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", 1, 3, "[]", DateTime.UtcNow), model, opts);
        File.WriteAllText(path + ".sha256", File.ReadAllText(path + ".sha256").ToUpperInvariant());
        Assert.Equal(3, Checkpoint.Load(path, model, opts).Step);
        File.Delete(path + ".sha256");
        Assert.Contains("no checksum file checkpoint-0001.wfck.sha256", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, model, opts)).Message);
        var missing = Path.Combine(tmp.Path, "checkpoint-0009.wfck");
        Assert.Contains("not found", Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(missing, model, opts)).Message);
    }

    [Fact]
    public void LoadLatestWarnsPerSkippedFileReturnsNullForAnEmptyFolderAndNamesEveryFileWhenNoneIsUsable()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        Assert.Null(Checkpoint.LoadLatest(Path.Combine(tmp.Path, "none"), model, opts));
        Assert.Null(Checkpoint.LoadLatest(tmp.Path, model, opts));
        for (int e = 1; e <= 3; e++) Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", e, e, "[]", DateTime.UtcNow), model, opts, keep: 3);
        Assert.Equal(3, Checkpoint.List(tmp.Path).Count);
        foreach (var name in new[] { "checkpoint-0003.wfck", "checkpoint-0002.wfck" })
            File.AppendAllText(Path.Combine(tmp.Path, name), "x");   // checksum mismatch
        var warnings = new List<string>();
        Assert.Equal(1, Checkpoint.LoadLatest(tmp.Path, model, opts, warnings.Add)!.Epoch);
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.EndsWith("Trying the previous checkpoint.", w));
        File.AppendAllText(Path.Combine(tmp.Path, "checkpoint-0001.wfck"), "x");
        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadLatest(tmp.Path, model, opts));
        Assert.StartsWith($"no usable checkpoint in {tmp.Path}:", error.Message);
        foreach (var name in new[] { "checkpoint-0003.wfck", "checkpoint-0002.wfck", "checkpoint-0001.wfck" }) Assert.Contains(name, error.Message);

        Assert.Equal(3, Checkpoint.DeleteAll(tmp.Path));
        Assert.Empty(Directory.GetFiles(tmp.Path));
        Assert.Equal(0, Checkpoint.DeleteAll(tmp.Path));
        Assert.Equal(0, Checkpoint.RemoveStaleTemporaries(Path.Combine(tmp.Path, "none")));
    }

    [Fact]
    public void SavingKeepsTheNewestOnesWithTheirChecksums()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (model, opts) = Make();
        for (int e = 1; e <= 3; e++) Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", e, e, "[]", DateTime.UtcNow), model, opts, keep: 1);
        Checkpoint.Save(tmp.Path, new Checkpoint.Header("{}", 3, 5, "[]", DateTime.UtcNow) { StepInEpoch = 2 }, model, opts, keep: 1);
        Assert.Equal(["checkpoint-0003-000002.wfck", "checkpoint-0003-000002.wfck.sha256"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
