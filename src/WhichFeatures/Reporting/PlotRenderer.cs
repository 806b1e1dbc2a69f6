using ScottPlot;

namespace WhichFeatures.Reporting;

/// <summary>Renders a <see cref="PlotSpec"/> to a PNG with ScottPlot (log x handled by plotting log10 x with decade ticks).</summary>
public static class PlotRenderer
{
    /// <summary>Default image size in pixels.</summary>
    public const int Width = 720, Height = 480;   // room for the legend below the axes

    /// <summary>Renders the plot and returns the PNG bytes.</summary>
    public static byte[] RenderPng(PlotSpec spec, int width = Width, int height = Height)
    {
        var plt = new Plot();
        if (spec.Kind == PlotKind.Bar) AddBars(plt, spec);
        else AddLines(plt, spec);
        foreach (var r in spec.ReferenceLines ?? [])
        {
            if (!double.IsFinite(r.Y)) continue;
            var h = plt.Add.HorizontalLine(r.Y);
            h.LegendText = r.Label;
            h.LinePattern = LinePattern.Dashed;
            h.LineWidth = 1.5f;
        }
        plt.Title(spec.Title);
        plt.XLabel(spec.LogX ? spec.XLabel + " (log scale)" : spec.XLabel);
        plt.YLabel(spec.YLabel);
        // ScottPlot clips text that is longer than the image (long titles, long y labels): shrink such text to fit.
        // The y label runs along the data area, which the title, the x label and the legend below leave at about 60 %.
        FitFont(plt.Axes.Title.Label, width - 24);
        FitFont(plt.Axes.Bottom.Label, width - 24);
        FitFont(plt.Axes.Left.Label, height * 0.6f);
        if (spec.YMin is double y0 && spec.YMax is double y1) plt.Axes.SetLimitsY(y0, y1);
        plt.ShowLegend(Edge.Bottom);   // below the axes, never over the curves (a corner legend hid low-lying data)
        return plt.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Lowers the label's font size (not below 8 px) until its text is at most <paramref name="maxWidth"/> pixels long.</summary>
    private static void FitFont(LabelStyle label, float maxWidth)
    {
        using var paint = Paint.NewDisposablePaint();
        while (label.FontSize > 8 && label.Measure(paint).Width > maxWidth)
            label.FontSize -= 1;
    }

    private static void AddBars(Plot plt, PlotSpec spec)
    {
        int groups = spec.Series.Count;
        double width = 0.8 / Math.Max(groups, 1);
        for (int g = 0; g < groups; g++)
        {
            var s = spec.Series[g];
            var bars = new List<Bar>();
            for (int i = 0; i < Math.Min(s.X.Count, s.Y.Count); i++)
            {
                if (!double.IsFinite(s.Y[i])) continue;
                double err = s.YError is { } e && i < e.Count && double.IsFinite(e[i]) ? e[i] : 0;
                bars.Add(new Bar { Position = s.X[i] - 0.4 + width * (g + 0.5), Value = s.Y[i], Error = err, Size = width * 0.9 });
            }
            var plot = plt.Add.Bars(bars);
            plot.LegendText = s.Label;
            var color = plt.Add.Palette.GetColor(g);
            foreach (var b in plot.Bars) b.FillColor = color;
        }
        if (spec.XTickLabels is { } labels)
            plt.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Count).Select(i => (double)i).ToArray(), labels.ToArray());
    }

    private static void AddLines(Plot plt, PlotSpec spec)
    {
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        foreach (var s in spec.Series)
        {
            var pts = Enumerable.Range(0, Math.Min(s.X.Count, s.Y.Count))
                .Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!spec.LogX || s.X[i] > 0))
                .ToArray();
            if (pts.Length == 0) continue;
            double[] xs = pts.Select(i => spec.LogX ? Math.Log10(s.X[i]) : s.X[i]).ToArray();
            double[] ys = pts.Select(i => s.Y[i]).ToArray();
            xMin = Math.Min(xMin, xs.Min()); xMax = Math.Max(xMax, xs.Max());
            var line = plt.Add.Scatter(xs, ys);
            line.LegendText = s.Label;
            if (s.Color is { } hex) line.Color = Color.FromHex(hex);
            if (spec.Kind == PlotKind.Scatter)
            {
                line.LineWidth = 0;
                line.MarkerSize = xs.Length > 1000 ? 3 : 5;
                continue;
            }
            line.LineWidth = 2;
            line.MarkerSize = xs.Length > 60 ? 0 : 6;
            if (s.YError is { } err)
            {
                double[] es = pts.Select(i => i < err.Count && double.IsFinite(err[i]) ? err[i] : 0).ToArray();
                var bars = plt.Add.ErrorBar(xs, ys, es);
                bars.Color = line.Color;
            }
        }
        if (spec.LogX && double.IsFinite(xMin))
        {
            int lo = (int)Math.Floor(xMin), hi = (int)Math.Ceiling(xMax);
            var pos = Enumerable.Range(lo, hi - lo + 1).Select(e => (double)e).ToArray();
            plt.Axes.Bottom.SetTicks(pos, pos.Select(e => FormatPower(e)).ToArray());
        }
        else if (spec.IntegerX && double.IsFinite(xMin))
            plt.Axes.Bottom.SetTicks(IntegerTicks(xMin, xMax), IntegerTicks(xMin, xMax).Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, PlotSpec spec) => AtomicFile.WriteAllBytes(path, RenderPng(spec));

    /// <summary>Whole numbers from ceil(lo) to floor(hi), at most about 10 of them (step 1, 2, 5, 10, ...).</summary>
    internal static double[] IntegerTicks(double lo, double hi)
    {
        long a = (long)Math.Ceiling(lo), b = (long)Math.Floor(hi);
        if (b < a) return [Math.Round(lo)];
        long step = 1;
        for (int i = 0; (b - a) / step > 10; i++) step = (i % 3) switch { 0 => step * 2, 1 => step / 2 * 5, _ => step * 2 };
        var ticks = new List<double>();
        for (long v = a; v <= b; v += step) ticks.Add(v);
        return [.. ticks];
    }

    private static string FormatPower(double e)
    {
        double v = Math.Pow(10, e);
        return v >= 1 && v < 1e6 ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : $"1e{e:0}";
    }
}
