using System.Globalization;
using System.Text;

namespace WhichFeatures.Data;

/// <summary>The result of <c>data verify</c> / <c>data inspect</c>: splits, per-class counts, file checksums and notes.</summary>
/// <param name="Name">The dataset name.</param>
/// <param name="Folders">The folders the files were read from.</param>
/// <param name="Splits">Train and test summaries.</param>
/// <param name="Files">Every file in those folders with its MD5.</param>
/// <param name="Notes">Things a user should know (a subset of the official release, a checksum that differs, ...).</param>
public sealed record DatasetReport(string Name, IReadOnlyList<string> Folders, IReadOnlyList<SplitSummary> Splits,
    IReadOnlyList<FileChecksum> Files, IReadOnlyList<string> Notes)
{
    /// <summary>The report as plain text for the console.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine($"{Name} in {string.Join(" + ", Folders)}");
        foreach (var s in Splits)
        {
            sb.AppendLine(inv, $"  {s.Split}: {s.Count} images [{string.Join(", ", s.Shape)}] uint8{(s.ExtraChannels > 0 ? $" + {s.ExtraChannels} RandBit channels" : "")}");
            foreach (var (key, counts) in s.CountsPerLabel)
            {
                var names = s.LabelNames[key];
                if (counts is null)
                    sb.AppendLine(inv, $"    {key} ({names.Count} values): {s.DistinctPerLabel[key]} distinct values present");
                else
                    sb.AppendLine(inv, $"    {key} ({names.Count}): {string.Join(", ", counts.Select((c, i) => $"{names[i]} {c}"))}");
            }
        }
        sb.AppendLine("  files:");
        foreach (var f in Files)
        {
            var check = f.MatchesPublished switch { true => "  = published md5", false => $"  != published md5 {f.PublishedMd5}", null => "" };
            sb.AppendLine(inv, $"    {f.Path}  {f.Bytes} bytes  md5 {f.Md5}{check}");
        }
        if (Notes.Count > 0)
        {
            sb.AppendLine("  notes:");
            foreach (var n in Notes) sb.AppendLine($"    - {n}");
        }
        return sb.ToString();
    }
}
