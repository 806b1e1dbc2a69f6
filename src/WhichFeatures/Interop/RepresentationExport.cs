using System.Globalization;
using System.Text;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using static TorchSharp.torch;

namespace WhichFeatures.Interop;

/// <summary>
/// Writes a split's representations and labels for other tools: NumPy (.npy / .npz) or the TensorBoard embedding
/// projector (.tsv). Values are written exactly: float32 bits in .npy/.npz, the shortest round-trip decimal of each
/// float32 in .tsv.
/// </summary>
/// <remarks>
/// Files per split s (train, test):
/// <list type="bullet">
/// <item>npy: s_embeddings.npy (float32 [N, p]) and s_&lt;label&gt;.npy (int64 [N]) per label; label_names.json.</item>
/// <item>npz: s.npz with the arrays "embeddings" and one per label; label_names.json.</item>
/// <item>tsv: s_embeddings.tsv (N lines of p tab-separated numbers, no header) and s_metadata.tsv (a header of label
/// names, then each row's label names), the two files the projector loads.</item>
/// </list>
/// </remarks>
public static class RepresentationExport
{
    /// <summary>The formats.</summary>
    public static readonly IReadOnlyList<string> Formats = ["npy", "npz", "tsv"];

    /// <summary>One split to write.</summary>
    /// <param name="Name">"train" or "test".</param>
    /// <param name="Features">[N, p].</param>
    /// <param name="Labels">Label name -> int64 [N] values.</param>
    /// <param name="LabelNames">Label name -> value names.</param>
    public sealed record Split(string Name, Tensor Features, IReadOnlyDictionary<string, Tensor> Labels, IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames);

    /// <summary>Checks a --format value.</summary>
    public static string ParseFormat(string format)
    {
        var f = format.Trim().ToLowerInvariant();
        return Formats.Contains(f) ? f : throw new UserInputException($"--format {format}: unknown format; expected npy, npz or tsv.");
    }

    /// <summary>Writes every split into <paramref name="dir"/> (which must exist) and returns the file names written.</summary>
    public static IReadOnlyList<string> Write(string dir, string format, IReadOnlyList<Split> splits)
    {
        format = ParseFormat(format);
        var files = new List<string>();
        foreach (var s in splits)
        {
            using var scope = NewDisposeScope();
            var x = s.Features.to_type(ScalarType.Float32).cpu().contiguous();                 // [N, p]
            long n = x.shape[0], p = x.shape[1];
            var values = x.data<float>().ToArray();
            var labels = s.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (Name: kv.Key, Values: kv.Value.to_type(ScalarType.Int64).cpu().data<long>().ToArray())).ToList();
            switch (format)
            {
                case "npy":
                    Add(files, $"{s.Name}_embeddings.npy", f => NpyFile.WriteFloat32(Path.Combine(dir, f), values, n, p));
                    foreach (var (name, v) in labels) Add(files, $"{s.Name}_{name}.npy", f => NpyFile.WriteInt64(Path.Combine(dir, f), v, n));
                    break;
                case "npz":
                    Add(files, $"{s.Name}.npz", f => NpzFile.Write(Path.Combine(dir, f),
                        [new NpzFile.Entry("embeddings", values, null, [n, p]), .. labels.Select(l => new NpzFile.Entry(l.Name, null, l.Values, [n]))]));
                    break;
                default:
                    var emb = new StringBuilder();
                    for (long i = 0; i < n; i++)
                    {
                        for (long j = 0; j < p; j++)
                        {
                            if (j > 0) emb.Append('\t');
                            emb.Append(values[i * p + j].ToString("R", CultureInfo.InvariantCulture));
                        }
                        emb.Append('\n');
                    }
                    Add(files, $"{s.Name}_embeddings.tsv", f => AtomicFile.WriteAllText(Path.Combine(dir, f), emb.ToString()));
                    var meta = new StringBuilder();
                    meta.Append(string.Join('\t', labels.Select(l => l.Name))).Append('\n');
                    for (long i = 0; i < n; i++)
                        meta.Append(string.Join('\t', labels.Select(l => Clean(s.LabelNames[l.Name][(int)l.Values[i]])))).Append('\n');
                    Add(files, $"{s.Name}_metadata.tsv", f => AtomicFile.WriteAllText(Path.Combine(dir, f), meta.ToString()));
                    break;
            }
        }
        if (format != "tsv")
        {
            var names = splits.SelectMany(s => s.LabelNames).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value);
            Add(files, "label_names.json", f => AtomicFile.WriteAllText(Path.Combine(dir, f), RunJson.Serialize(names)));
        }
        return files;
    }

    private static void Add(List<string> files, string name, Action<string> write)
    {
        write(name);
        files.Add(name);
    }

    // The projector's metadata is tab-separated with no quoting.
    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ');
}
