namespace WhichFeatures.Data;

/// <summary>Finds the folder that holds a dataset's files, given the folder the user named.</summary>
internal static class DatasetFolders
{
    /// <summary>
    /// <paramref name="dataDir"/> itself when it holds one of <paramref name="markerFiles"/> (plain or .gz),
    /// else the first of <paramref name="subfolders"/> under it that does. Otherwise a
    /// <see cref="DatasetFormatException"/> listing the folders and files looked for.
    /// </summary>
    public static string Resolve(string dataDir, string datasetName, IReadOnlyList<string> subfolders, IReadOnlyList<string> markerFiles)
    {
        if (string.IsNullOrWhiteSpace(dataDir))
            throw new DatasetFormatException("(data folder)", "--data-dir", $"is empty; expected the folder holding {datasetName}");
        if (File.Exists(dataDir))
            throw new DatasetFormatException(dataDir, "--data-dir", $"is a file; expected the folder holding {datasetName} (or its parent)");
        if (!Directory.Exists(dataDir))
            throw new DatasetFormatException(dataDir, "--data-dir", $"does not exist; expected the folder holding {datasetName} (download it with: whichfeatures data download)");
        var folders = new[] { dataDir }.Concat(subfolders.Select(s => Path.Combine(dataDir, s))).ToArray();
        foreach (var folder in folders)
            if (Directory.Exists(folder) && markerFiles.Any(f => DatasetFiles.TryFind(folder, f) is not null))
                return folder;
        throw new DatasetFormatException(dataDir, datasetName,
            $"no {datasetName} files found; looked in {string.Join(", ", folders)} for {string.Join(", ", markerFiles)} (each plain or .gz)");
    }
}
