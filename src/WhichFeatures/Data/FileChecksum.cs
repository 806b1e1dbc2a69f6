namespace WhichFeatures.Data;

/// <summary>A dataset file with its size and MD5, compared with the published MD5 where the catalog has one.</summary>
/// <param name="Path">The file.</param>
/// <param name="Bytes">Its size on disk.</param>
/// <param name="Md5">Its MD5 (lowercase hex).</param>
/// <param name="PublishedMd5">The catalog's MD5 for a file of that name (MNIST .gz files), or null.</param>
public sealed record FileChecksum(string Path, long Bytes, string Md5, string? PublishedMd5)
{
    /// <summary>True / false when a published MD5 exists, null otherwise.</summary>
    public bool? MatchesPublished => PublishedMd5 is null ? null : string.Equals(Md5, PublishedMd5, StringComparison.OrdinalIgnoreCase);
}
