namespace WhichFeatures.Reporting;

/// <summary>A measured number over seeds: mean, spread and every seed's value.</summary>
public sealed record Stat(double Mean, double Min, double Max, double Std, IReadOnlyList<double> PerSeed)
{
    /// <summary>Summarises the per-seed values (sample standard deviation; 0 for one seed).</summary>
    public static Stat Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) throw new ArgumentException("a Stat needs at least one value", nameof(values));
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new Stat(mean, v.Min(), v.Max(), std, v);
    }
}
