using System.Text.Json;
using WhichFeatures.Sweeps;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>Reading a sweep's files in tests.</summary>
internal static class SweepFiles
{
    /// <summary>
    /// Every claim of results.json as "id holds criterion values" lines: what must not change between two ways of
    /// running the same plan (timestamps, wall times and notes quoting them may).
    /// </summary>
    public static string Claims(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        return string.Join("\n", doc.RootElement.GetProperty("claims").EnumerateArray().Select(c =>
            $"{c.GetProperty("id").GetString()} holds={c.GetProperty("holds").GetBoolean()} criterion={c.GetProperty("criterion").GetString()} values={c.GetProperty("values").GetRawText()}"));
    }

    /// <summary>The manifest's lines.</summary>
    public static string[] ManifestLines(string dir) => File.ReadAllLines(Path.Combine(dir, SweepFolder.ManifestFile)).Where(l => l.Length > 0).ToArray();

    /// <summary>The folder of unit <paramref name="index"/>.</summary>
    public static string UnitDir(string dir, int index)
    {
        using var doc = JsonDocument.Parse(ManifestLines(dir)[index]);
        return Path.Combine(dir, doc.RootElement.GetProperty("dir").GetString()!);
    }
}
