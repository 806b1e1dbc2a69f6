using System.Text.Json;
using WhichFeatures.Reporting;

namespace WhichFeatures.Sweeps;

/// <summary>
/// What one unit cost when it ran, measured, not planned: its wall time, and the peak resident memory of the process
/// that ran it. Written as cost.json just before result.json (never into it: a result must not depend on the clock).
/// With <c>sweep run --index</c> the process is the unit's own, so the peak is what the scheduler's <c>--mem</c> has
/// to cover; with <c>--all</c> it is the peak of every unit that process ran so far.
/// </summary>
/// <param name="Seconds">Wall time of the unit's run (a resumed run: of the last attempt).</param>
/// <param name="ProcessPeakRssMegabytes">Peak resident set size of the process that ran it, in MB (VmHWM).</param>
public sealed record UnitCost(double Seconds, double ProcessPeakRssMegabytes)
{
    /// <summary>The file in the unit's folder.</summary>
    public const string FileName = "cost.json";

    /// <summary>Writes the cost into <paramref name="unitFolder"/>.</summary>
    public void Write(string unitFolder) => AtomicFile.WriteAllText(Path.Combine(unitFolder, FileName), RunJson.Serialize(this));

    /// <summary>The cost recorded in <paramref name="unitFolder"/>, or null when there is none (a unit run before costs were recorded) or it is unreadable.</summary>
    public static UnitCost? Read(string unitFolder)
    {
        var path = Path.Combine(unitFolder, FileName);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<UnitCost>(File.ReadAllText(path), RunJson.Options); }
        catch (JsonException) { return null; }   // only informative: a damaged file must not stop status or collect
    }
}
