namespace WhichFeatures.Data;

/// <summary>One file to download: its name, where to get it (mirrors in order) and its published MD5.</summary>
/// <param name="FileName">The file name as published (e.g. "cifar-10-binary.tar.gz").</param>
/// <param name="Urls">Official URL first, then mirrors.</param>
/// <param name="Md5">The published MD5 (lowercase hex).</param>
/// <param name="IsArchive">True for a .tar.gz to unpack; false for a file kept as is (MNIST's .gz files are read directly).</param>
public sealed record DatasetResource(string FileName, IReadOnlyList<string> Urls, string Md5, bool IsArchive);
