using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>
/// The difference a − b of two accuracies with its 95 % interval, by Newcombe's hybrid score method (his method 10,
/// Statistics in Medicine 1998) from the two accuracies' own intervals:
/// lower = d − √((a − a_lo)² + (b_hi − b)²), upper = d + √((a_hi − a)² + (b − b_lo)²).
/// It treats a and b as independent; on the same rows that overstates the noise, so it errs towards "undecided".
/// Against an exact rate (chance) it reduces to a's own interval shifted by b.
/// </summary>
/// <param name="Value">a − b.</param>
/// <param name="Lower">Lower end of the 95 % interval.</param>
/// <param name="Upper">Upper end.</param>
public sealed record AccuracyGap(double Value, double Lower, double Upper)
{
    /// <summary>a − b and its interval.</summary>
    public static AccuracyGap Between(Accuracy a, Accuracy b)
    {
        double d = a.Value - b.Value;
        double lo = d - Math.Sqrt(Sq(a.Value - a.Lower) + Sq(b.Upper - b.Value));
        double hi = d + Math.Sqrt(Sq(a.Upper - a.Value) + Sq(b.Value - b.Lower));
        return new AccuracyGap(d, lo, hi);
    }

    /// <summary>Above when the whole interval lies above <paramref name="threshold"/>, below when it lies below, else undecided.</summary>
    public Side Against(double threshold) => Lower > threshold ? Side.Above : Upper < threshold ? Side.Below : Side.Undecided;

    /// <summary>"+0.011 [−0.020, +0.042]".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Value:+0.000;-0.000} [{Lower:+0.000;-0.000}, {Upper:+0.000;-0.000}]");

    private static double Sq(double x) => x * x;
}

/// <summary>Where an interval lies against a threshold.</summary>
public enum Side
{
    /// <summary>Entirely above.</summary>
    Above,
    /// <summary>Entirely below.</summary>
    Below,
    /// <summary>It contains the threshold: the data cannot tell.</summary>
    Undecided,
}
