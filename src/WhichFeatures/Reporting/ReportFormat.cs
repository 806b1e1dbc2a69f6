using System.Globalization;

namespace WhichFeatures.Reporting;

/// <summary>Number formatting shared by the HTML and Markdown reports.</summary>
internal static class ReportFormat
{
    public static string Number(double v)
    {
        if (double.IsNaN(v)) return "n/a";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.Abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return v.ToString("0.###e+0", CultureInfo.InvariantCulture);
        return v.ToString(a >= 100 ? "0.#" : "0.####", CultureInfo.InvariantCulture);
    }

    public static string Stat(Stat s) =>
        s.PerSeed.Count <= 1 ? Number(s.Mean) : $"{Number(s.Mean)} (min {Number(s.Min)}, max {Number(s.Max)}, n={s.PerSeed.Count})";
}
