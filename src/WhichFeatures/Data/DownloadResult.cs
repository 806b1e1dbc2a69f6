namespace WhichFeatures.Data;

/// <summary>What <see cref="DatasetDownloader"/> did.</summary>
/// <param name="Dataset">The dataset name.</param>
/// <param name="Folder">The dataset folder now in place.</param>
/// <param name="Downloaded">False when the folder was already there (nothing fetched).</param>
/// <param name="VerifiedFiles">Each file fetched with its verified MD5.</param>
public sealed record DownloadResult(string Dataset, string Folder, bool Downloaded, IReadOnlyList<(string File, string Md5)> VerifiedFiles);
