namespace WhichFeatures.Data;

/// <summary>A downloadable dataset: where its files come from and the folder they end up in.</summary>
/// <param name="Name">The dataset name (as in <see cref="DatasetRegistry.Names"/>).</param>
/// <param name="FolderName">The folder created under the download target, which the loaders look for.</param>
/// <param name="Resources">The files to fetch.</param>
/// <param name="ArchiveFolder">For archives: the folder inside the tarball that becomes <paramref name="FolderName"/>; null for plain files.</param>
/// <param name="RequiredFiles">Files that must exist after unpacking (checked before anything is moved into place).</param>
/// <param name="Source">Where the checksums are published.</param>
public sealed record CatalogEntry(string Name, string FolderName, IReadOnlyList<DatasetResource> Resources, string? ArchiveFolder,
    IReadOnlyList<string> RequiredFiles, string Source);
