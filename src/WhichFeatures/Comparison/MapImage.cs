namespace WhichFeatures.Comparison;

/// <summary>A 2-D map of one input's embeddings coloured by one attribute: a PNG the input's own verb wrote.</summary>
/// <param name="Attribute">The attribute as it appears in the file name (tsne_class.png: "class").</param>
/// <param name="Method">"t-SNE" or "PCA".</param>
/// <param name="SourcePath">The PNG in the input folder.</param>
public sealed record MapImage(string Attribute, string Method, string SourcePath)
{
    /// <summary>The file name, e.g. tsne_class.png.</summary>
    public string FileName => Path.GetFileName(SourcePath);
}
