using System.Globalization;
using System.Text.RegularExpressions;

namespace WhichFeatures.Sweeps;

/// <summary>
/// The progress task every unit runs under, "unit k of N: id" (k = its position in the plan, from 1), and the two
/// lines a worker process prints for it in plain progress (Reporting/ConsoleProgress.cs, <c>PlainProgress</c>):
/// "[time] unit k of N: id: started" and "[time] unit k of N: id: done in ..." (or "... interrupted after ..." when the
/// worker was stopped). The main process of
/// <c>reproduce --jobs N</c> reads those lines from its workers' output to show their units (<see cref="SuiteProgress"/>).
/// </summary>
public static partial class UnitProgressLine
{
    /// <summary>The task name of <paramref name="unit"/> in a sweep of <paramref name="unitCount"/> units ("unit k: id" when the count is not known, 0).</summary>
    public static string TaskName(SweepUnit unit, int unitCount) => unitCount > 0
        ? string.Create(CultureInfo.InvariantCulture, $"unit {unit.Index + 1} of {unitCount}: {unit.Id}")
        : string.Create(CultureInfo.InvariantCulture, $"unit {unit.Index + 1}: {unit.Id}");

    /// <summary>Reads a worker's plain progress line: the unit's index in the plan (from 0) and whether it started or ended; false for any other line.</summary>
    public static bool TryParse(string? line, out int unitIndex, out bool started)
    {
        (unitIndex, started) = (-1, false);
        if (line is null) return false;
        var m = Pattern().Match(line);
        if (!m.Success) return false;
        unitIndex = int.Parse(m.Groups["k"].Value, CultureInfo.InvariantCulture) - 1;
        started = m.Groups["what"].Value == "started";
        return true;
    }

    [GeneratedRegex(@"^\[[0-9:]+\] unit (?<k>[0-9]+) of [0-9]+: [^ ]+: (?<what>started|done in|interrupted after) ?")]
    private static partial Regex Pattern();
}
