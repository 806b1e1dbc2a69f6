using System.Globalization;

namespace WhichFeatures.Verdicts;

/// <summary>
/// A measured accuracy and its 95 % interval. Over the scored rows it is the Wilson score interval of
/// correct / rows. With folds (every row scored once, in one fold), the interval is widened to at least
/// ± z · std / √k around it, std the sample standard deviation of the k fold accuracies, so a verdict is at least as
/// unsure as the folds disagree.
/// A rate known without sampling error (chance) is <see cref="Exact"/>: an interval of width zero.
/// </summary>
/// <param name="Value">Correct / rows (or the exact rate).</param>
/// <param name="Rows">Rows scored (0 for an exact rate).</param>
/// <param name="Lower">Lower end of the 95 % interval, in [0, 1].</param>
/// <param name="Upper">Upper end of the 95 % interval, in [0, 1].</param>
public sealed record Accuracy(double Value, long Rows, double Lower, double Upper)
{
    /// <summary>The standard normal quantile of 0.975.</summary>
    public const double Z = 1.959963984540054;

    /// <summary>A rate with no sampling error, such as chance = 1 / categories.</summary>
    public static Accuracy Exact(double value) => new(value, 0, value, value);

    /// <summary>
    /// <paramref name="correct"/> of <paramref name="rows"/> scored rows; with two or more
    /// <paramref name="perFold"/> accuracies the interval is widened by their spread (see the type's summary).
    /// </summary>
    public static Accuracy Of(long correct, long rows, IReadOnlyList<double>? perFold = null)
    {
        if (rows <= 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "an accuracy needs at least one scored row");
        if (correct < 0 || correct > rows) throw new ArgumentOutOfRangeException(nameof(correct), correct, $"must be in [0, {rows}]");
        double p = (double)correct / rows;
        var (lo, hi) = Wilson(p, rows);
        if (perFold is { Count: >= 2 })
        {
            double mean = perFold.Average();
            double std = Math.Sqrt(perFold.Sum(v => (v - mean) * (v - mean)) / (perFold.Count - 1));
            double half = Z * std / Math.Sqrt(perFold.Count);
            lo = Math.Min(lo, Math.Max(0, p - half));
            hi = Math.Max(hi, Math.Min(1, p + half));
        }
        return new Accuracy(p, rows, lo, hi);
    }

    /// <summary>
    /// The correct count behind an accuracy that was reported as a rate over <paramref name="rows"/> rows
    /// (a probe's or kNN's correct / rows), rounded to the nearest whole row.
    /// </summary>
    public static long CorrectOf(double rate, long rows) => (long)Math.Round(rate * rows);

    /// <summary>An accuracy reported as a rate over <paramref name="rows"/> rows, with its interval (<see cref="Of"/>).</summary>
    public static Accuracy FromRate(double rate, long rows) => Of(CorrectOf(rate, rows), rows);

    /// <summary>
    /// The Wilson score interval of a proportion p over n rows:
    /// (p + z²/2n ± z √(p(1 − p)/n + z²/4n²)) / (1 + z²/n), z = <see cref="Z"/>.
    /// </summary>
    public static (double Lower, double Upper) Wilson(double p, long n)
    {
        double z2 = Z * Z, denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>"0.862 [0.840, 0.882]", or "0.500" for an exact rate.</summary>
    public override string ToString() => Rows == 0
        ? Value.ToString("0.000", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Value:0.000} [{Lower:0.000}, {Upper:0.000}]");
}
