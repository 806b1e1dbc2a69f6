using WhichFeatures.Reporting;

namespace WhichFeatures.Experiments.Real;

/// <summary>
/// The suite's rule of evidence for one comparison across seeds: "<c>higher</c> beats <c>lower</c>" holds only when
/// the mean of <c>higher</c> is above the mean of <c>lower</c> by more than <see cref="SpreadFactor"/> times the
/// larger of the two sides' sample standard deviations over seeds. A smaller gap is "not shown", whatever its sign.
/// </summary>
public static class SeedGap
{
    /// <summary>How many of the larger per-seed standard deviations a gap must exceed.</summary>
    public const double SpreadFactor = 2;

    /// <summary><see cref="SpreadFactor"/> as the <c>{spread}</c> threshold every real-data criterion states.</summary>
    public static readonly Threshold Spread = new("spread", SpreadFactor, "0");

    /// <summary>The number of seeds the gaps are measured over, as the real-data criteria state it (<c>over {seeds} seeds</c>).</summary>
    public static readonly Placeholder SeedCount = new("seeds");

    /// <summary>Whether <paramref name="higher"/> beats <paramref name="lower"/> under the rule.</summary>
    /// <param name="lower">The side the claim says is lower (per-seed values).</param>
    /// <param name="higher">The side the claim says is higher.</param>
    public static bool Clear(Stat lower, Stat higher) => higher.Mean - lower.Mean > Margin(lower, higher);

    /// <summary>The gap the rule asks for: <see cref="SpreadFactor"/> x the larger standard deviation.</summary>
    public static double Margin(Stat a, Stat b) => SpreadFactor * Math.Max(a.Std, b.Std);

    /// <summary>"0.8100 > 0.4500 (gap 0.3600, needed > 0.0400)" style, for notes.</summary>
    public static string Describe(string lowerName, Stat lower, string higherName, Stat higher) =>
        $"{higherName} {RealRunner.Fixed4(higher.Mean)} vs {lowerName} {RealRunner.Fixed4(lower.Mean)}: gap {RealRunner.Fixed4(higher.Mean - lower.Mean)}, " +
        $"needed > {RealRunner.Fixed4(Margin(lower, higher))} ({(Clear(lower, higher) ? "shown" : "not shown")})";
}
