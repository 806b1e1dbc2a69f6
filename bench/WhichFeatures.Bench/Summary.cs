namespace WhichFeatures.Bench;

/// <summary>Median and spread of a set of rates (one per round).</summary>
/// <param name="Median">Median rate.</param>
/// <param name="Min">Smallest rate.</param>
/// <param name="Max">Largest rate.</param>
/// <param name="Runs">Number of rounds.</param>
public sealed record Summary(double Median, double Min, double Max, int Runs)
{
    /// <summary>Summarises the given rates (NaN when empty).</summary>
    /// <param name="rates">One rate per round.</param>
    public static Summary Of(IReadOnlyList<double> rates)
    {
        if (rates.Count == 0) return new Summary(double.NaN, double.NaN, double.NaN, 0);
        var s = rates.OrderBy(v => v).ToArray();
        double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        return new Summary(median, s[0], s[^1], s.Length);
    }

    /// <summary>Spread as (max - min) / median, in percent.</summary>
    public double SpreadPercent => Median > 0 ? 100 * (Max - Min) / Median : double.NaN;
}
