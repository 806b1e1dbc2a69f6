using WhichFeatures.Data;

namespace WhichFeatures.Comparison;

/// <summary>
/// Finds the maps an input folder holds: <c>tsne_&lt;attribute&gt;.png</c> (a t-SNE map) and <c>pca_&lt;attribute&gt;.png</c>
/// (the PCA maps of Diagnosis/DiagnosisReport). Per attribute the t-SNE map is taken when present, else the PCA one,
/// so new map files are picked up without a change here.
/// </summary>
public static class MapImages
{
    /// <summary>File-name prefix of a t-SNE map.</summary>
    public const string TsnePrefix = "tsne_";
    /// <summary>File-name prefix of a PCA map.</summary>
    public const string PcaPrefix = "pca_";

    /// <summary>One map per attribute in <paramref name="folder"/>, ordered class first, then subclass, then by name.</summary>
    public static IReadOnlyList<MapImage> Find(string folder)
    {
        var tsne = Of(folder, TsnePrefix, "t-SNE");
        var pca = Of(folder, PcaPrefix, "PCA").Where(p => !tsne.Any(t => t.Attribute == p.Attribute));
        return tsne.Concat(pca).OrderBy(m => Rank(m.Attribute)).ThenBy(m => m.Attribute, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every attribute some input has a map of, in report order.</summary>
    public static IReadOnlyList<string> Attributes(IEnumerable<ComparedInput> inputs) =>
        inputs.SelectMany(i => i.Maps).Select(m => m.Attribute).Distinct()
            .OrderBy(Rank).ThenBy(a => a, StringComparer.Ordinal).ToList();

    private static List<MapImage> Of(string folder, string prefix, string method) =>
        Directory.GetFiles(folder, prefix + "*.png")
            .Select(f => new MapImage(Path.GetFileNameWithoutExtension(f)[prefix.Length..], method, f))
            .Where(m => m.Attribute.Length > 0).ToList();

    private static int Rank(string attribute) => attribute switch { LabelKeys.Class => 0, LabelKeys.Subclass => 1, _ => 2 };
}
