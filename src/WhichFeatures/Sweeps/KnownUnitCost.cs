namespace WhichFeatures.Sweeps;

/// <summary>
/// What the most expensive unit of a suite at one scale costs, known before planning: from a measurement recorded
/// in docs/cluster.md, or, where nothing could be measured here, an estimate that says so.
/// </summary>
/// <param name="LongestUnitSeconds">Wall time of the longest unit.</param>
/// <param name="PeakRssMegabytes">Largest peak resident memory of a process running one unit, in MB.</param>
/// <param name="Source">Where the numbers come from, printed with the plan, e.g. "theory suite: longest measured unit 18 s, peak 0.9 GB".</param>
public sealed record KnownUnitCost(double LongestUnitSeconds, double PeakRssMegabytes, string Source)
{
    /// <summary>The most expensive of the units measured in a sweep (their cost.json files), or null when none was.</summary>
    public static KnownUnitCost? Measured(IReadOnlyCollection<UnitCost> costs) => costs.Count == 0 ? null : new(
        costs.Max(c => c.Seconds), costs.Max(c => c.ProcessPeakRssMegabytes),
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{costs.Count} unit{(costs.Count == 1 ? "" : "s")} measured in this sweep: longest {costs.Max(c => c.Seconds):0.#} s, peak {costs.Max(c => c.ProcessPeakRssMegabytes) / 1024:0.0#} GB"));
}
