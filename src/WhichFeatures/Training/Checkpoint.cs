using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// A training checkpoint (nanoGPT style: model, optimizer, config, step, plus the RNG state and the metric history).
/// File layout: "WFCKPT1\n", int32 header length, UTF-8 JSON header, int64 + model state, int32 count + (int64 + state) per optimizer,
/// int64 + CPU RNG state. Written atomically as <c>checkpoint-EEEE.wfck</c> (after EEEE whole epochs) or
/// <c>checkpoint-EEEE-SSSSSS.wfck</c> (interrupted SSSSSS steps into epoch EEEE + 1), then its SHA-256 beside it as
/// <c>&lt;name&gt;.sha256</c>; a checkpoint without a matching checksum is never used.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "WFCKPT1\n"u8.ToArray();

    /// <summary>What a checkpoint says besides the tensors.</summary>
    /// <param name="ConfigJson">The run's configuration, serialised.</param>
    /// <param name="Epoch">Completed epochs.</param>
    /// <param name="Step">Completed optimiser steps.</param>
    /// <param name="HistoryJson">Per-epoch metrics so far, serialised (so a resumed run's metrics are complete).</param>
    /// <param name="SavedUtc">When it was written.</param>
    public sealed record Header(string ConfigJson, int Epoch, long Step, string HistoryJson, DateTime SavedUtc)
    {
        /// <summary>Steps already done in epoch <see cref="Epoch"/> + 1 (0 = the checkpoint is at an epoch boundary).</summary>
        public int StepInEpoch { get; init; }
        /// <summary>State of the epoch's augmentation generator (base64 of <c>Generator.get_state()</c>) for a mid-epoch checkpoint.</summary>
        public string? AugmentGeneratorState { get; init; }
        /// <summary>Sum of the losses of the <see cref="StepInEpoch"/> steps already done (the epoch's mean needs them).</summary>
        public double EpochLossSum { get; init; }
        /// <summary>Learning rate of the last step done.</summary>
        public double LearningRate { get; init; }
    }

    /// <summary>File name for the checkpoint after <paramref name="epoch"/> epochs and <paramref name="stepInEpoch"/> more steps.</summary>
    public static string FileName(int epoch, int stepInEpoch = 0) =>
        stepInEpoch == 0 ? $"checkpoint-{epoch:D4}.wfck" : $"checkpoint-{epoch:D4}-{stepInEpoch:D6}.wfck";

    /// <summary>File name for the checkpoint <paramref name="header"/> describes.</summary>
    public static string FileName(Header header) => FileName(header.Epoch, header.StepInEpoch);

    /// <summary>Writes a checkpoint into <paramref name="dir"/> and keeps the newest <paramref name="keep"/> of them.</summary>
    /// <param name="dir">The run folder.</param>
    /// <param name="header">What the checkpoint says besides the tensors.</param>
    /// <param name="model">The modules to save.</param>
    /// <param name="optimizers">The optimisers to save, in order.</param>
    /// <param name="keep">How many checkpoints to keep.</param>
    /// <param name="faults">Reached at <c>checkpoint-write:E</c> (half the file written) and <c>checkpoint-checksum:E</c>.</param>
    public static string Save(string dir, Header header, nn.Module model, IReadOnlyList<optim.Optimizer> optimizers, int keep = 2, IFaultHook? faults = null)
    {
        faults ??= FaultInjection.None;
        Directory.CreateDirectory(dir);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            var h = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header, RunJson.Options));
            w.Write(h.Length); w.Write(h);
            WriteBlock(w, bw => model.save(bw));
            w.Write(optimizers.Count);
            foreach (var optimizer in optimizers)
                WriteBlock(w, bw => ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(bw));
            using var rng = random.get_rng_state();
            WriteBlock(w, bw => bw.Write(rng.data<byte>().ToArray()));
        }
        var bytes = ms.ToArray();
        var path = Path.Combine(dir, FileName(header));
        var faultPoint = header.StepInEpoch == 0 ? $"{header.Epoch}" : $"{header.Epoch}-{header.StepInEpoch}";
        AtomicFile.Write(path, s =>
        {
            int half = bytes.Length / 2;
            s.Write(bytes, 0, half);
            s.Flush();
            faults.Reached($"checkpoint-write:{faultPoint}");   // tests: a crash leaves a half-written temp file
            s.Write(bytes, half, bytes.Length - half);
        });
        faults.Reached($"checkpoint-checksum:{faultPoint}");    // tests: the checkpoint is in place, its checksum is not
        AtomicFile.WriteAllText(path + ".sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)) + "  " + Path.GetFileName(path) + "\n");
        foreach (var old in List(dir).Skip(keep)) { File.Delete(old.Path); File.Delete(old.Path + ".sha256"); }
        return path;
    }

    /// <summary>Checkpoint files in <paramref name="dir"/>, newest first (by epoch, then step within the epoch; not yet verified).</summary>
    public static IReadOnlyList<(int Epoch, string Path)> List(string dir) =>
        !Directory.Exists(dir) ? [] :
        Directory.GetFiles(dir, "checkpoint-*.wfck")
            .Select(p => (key: ParseName(System.IO.Path.GetFileNameWithoutExtension(p)), p))
            .Where(t => t.key is not null).OrderByDescending(t => t.key!.Value.Epoch).ThenByDescending(t => t.key!.Value.StepInEpoch)
            .Select(t => (t.key!.Value.Epoch, t.p)).ToList();

    // "checkpoint-0003" -> (3, 0); "checkpoint-0003-000017" -> (3, 17); anything else -> null.
    private static (int Epoch, int StepInEpoch)? ParseName(string stem)
    {
        var parts = stem["checkpoint-".Length..].Split('-');
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out var e)) return null;
        int s = 0;
        if (parts.Length == 2 && !int.TryParse(parts[1], out s)) return null;
        return (e, s);
    }

    /// <summary>Deletes every checkpoint (and its checksum) in <paramref name="dir"/>; returns how many checkpoints there were.</summary>
    public static int DeleteAll(string dir)
    {
        var all = List(dir);
        foreach (var (_, path) in all) { File.Delete(path); File.Delete(path + ".sha256"); }
        return all.Count;
    }

    /// <summary>
    /// Deletes the temporary files a killed checkpoint write leaves behind (<c>.checkpoint-*.tmp</c>); returns how many.
    /// Call only when no other process writes into <paramref name="dir"/>.
    /// </summary>
    public static int RemoveStaleTemporaries(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        var stale = Directory.GetFiles(dir, ".checkpoint-*.tmp");
        foreach (var f in stale) File.Delete(f);
        return stale.Length;
    }

    /// <summary>
    /// Loads the newest checkpoint in <paramref name="dir"/> whose checksum verifies into <paramref name="model"/> and
    /// <paramref name="optimizers"/>, restores the RNG state and returns its header. Skipped (corrupt) files are reported
    /// through <paramref name="warn"/>. Returns null when the folder has no checkpoint at all.
    /// </summary>
    public static Header? LoadLatest(string dir, nn.Module model, IReadOnlyList<optim.Optimizer> optimizers, Action<string>? warn = null)
    {
        var errors = new List<string>();
        foreach (var (_, path) in List(dir))
        {
            try
            {
                return Load(path, model, optimizers);
            }
            catch (CheckpointFormatException e)
            {
                errors.Add(e.Message);
                warn?.Invoke($"{e.Message} Trying the previous checkpoint.");
            }
        }
        if (errors.Count > 0)
            throw new CheckpointFormatException($"no usable checkpoint in {dir}: {string.Join(" ", errors)}");
        return null;
    }

    /// <summary>Loads one verified checkpoint file.</summary>
    public static Header Load(string path, nn.Module model, IReadOnlyList<optim.Optimizer> optimizers)
    {
        var bytes = VerifiedBytes(path);
        var (header, modelBytes, optBytes, rngBytes) = Parse(path, bytes);
        // An empty optimizer list loads the model only (probing a finished run).
        if (optimizers.Count > 0 && optBytes.Count != optimizers.Count)
            throw new CheckpointFormatException($"{path}: holds {optBytes.Count} optimizer states, this run has {optimizers.Count}.");
        try
        {
            using (var r = new BinaryReader(new MemoryStream(modelBytes))) model.load(r);
            for (int i = 0; i < optimizers.Count && optimizers.Count == optBytes.Count; i++)
                using (var r = new BinaryReader(new MemoryStream(optBytes[i]))) ((TorchSharp.Modules.OptimizerHelper)optimizers[i]).load_state_dict(r);
            using var rng = tensor(rngBytes, dtype: ScalarType.Byte);
            random.set_rng_state(rng);
        }
        catch (Exception e) when (e is not CheckpointFormatException)
        {
            throw new CheckpointFormatException($"{path}: the checkpoint does not fit this model/optimizer ({e.Message}); was it written by a run with another --model, --embedding or --head?", e);
        }
        return header;
    }

    private static byte[] VerifiedBytes(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException($"{path}: checkpoint file not found.");
        var sumPath = path + ".sha256";
        if (!File.Exists(sumPath)) throw new CheckpointFormatException($"{path}: no checksum file {Path.GetFileName(sumPath)} beside it (the write was interrupted).");
        var bytes = File.ReadAllBytes(path);
        var expected = File.ReadAllText(sumPath).Split(' ', 2)[0].Trim();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointFormatException($"{path}: checksum mismatch (expected {expected}, file has {actual}); the checkpoint is corrupted or truncated.");
        return bytes;
    }

    private static (Header header, byte[] model, List<byte[]> opt, byte[] rng) Parse(string path, byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes));
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new CheckpointFormatException($"{path}: not a WhichFeatures checkpoint (bad magic).");
            int hl = r.ReadInt32();
            if (hl < 0 || hl > bytes.Length) throw new CheckpointFormatException($"{path}: header length {hl} is out of range.");
            var header = JsonSerializer.Deserialize<Header>(r.ReadBytes(hl), RunJson.Options)
                         ?? throw new CheckpointFormatException($"{path}: empty header.");
            var model = ReadBlock(r, path);
            int count = r.ReadInt32();
            if (count < 0 || count > 16) throw new CheckpointFormatException($"{path}: optimizer count {count} is out of range.");
            var opts = new List<byte[]>();
            for (int i = 0; i < count; i++) opts.Add(ReadBlock(r, path));
            var rng = ReadBlock(r, path);
            if (r.BaseStream.Position != r.BaseStream.Length) throw new CheckpointFormatException($"{path}: trailing bytes after the last block.");
            return (header, model, opts, rng);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new CheckpointFormatException($"{path}: truncated or malformed checkpoint ({e.Message}).", e);
        }
    }

    private static void WriteBlock(BinaryWriter w, Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var bw = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) write(bw);
        w.Write(ms.Length);
        w.Write(ms.ToArray());
    }

    private static byte[] ReadBlock(BinaryReader r, string path)
    {
        long n = r.ReadInt64();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position)
            throw new CheckpointFormatException($"{path}: block length {n} runs past the end of the file (truncated).");
        return r.ReadBytes((int)n);
    }
}
