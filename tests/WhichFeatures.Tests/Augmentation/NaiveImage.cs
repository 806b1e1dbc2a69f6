using static TorchSharp.torch;

namespace WhichFeatures.Tests.Augmentation;

/// <summary>Slow per-pixel references for the batched augmentation (plain C# loops over float64 arrays).</summary>
internal static class NaiveImage
{
    public static readonly double[] Luma = { 0.2989, 0.587, 0.114 };

    /// <summary>[B, C, H, W] tensor to a [b][c][y, x] array.</summary>
    public static double[][][,] ToArray(Tensor t)
    {
        var d = t.to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        int b = (int)t.shape[0], c = (int)t.shape[1], h = (int)t.shape[2], w = (int)t.shape[3];
        var r = new double[b][][,];
        for (int i = 0; i < b; i++)
        {
            r[i] = new double[c][,];
            for (int k = 0; k < c; k++)
            {
                r[i][k] = new double[h, w];
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r[i][k][y, x] = d[((i * c + k) * h + y) * w + x];
            }
        }
        return r;
    }

    public static double MaxAbsDiff(double[][][,] a, double[][][,] b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) for (int k = 0; k < a[i].Length; k++)
            for (int y = 0; y < a[i][k].GetLength(0); y++) for (int x = 0; x < a[i][k].GetLength(1); x++)
                m = Math.Max(m, Math.Abs(a[i][k][y, x] - b[i][k][y, x]));
        return m;
    }

    /// <summary>
    /// Crop (top, left, h, w) resized to outH x outW, bilinear, sampling the source at
    /// left + (u + 0.5) * w / outW - 0.5, clamped to the image (grid_sample border semantics).
    /// </summary>
    public static double[,] CropResize(double[,] img, double top, double left, double bh, double bw, bool flip, int outH, int outW)
    {
        int h = img.GetLength(0), w = img.GetLength(1);
        var o = new double[outH, outW];
        for (int v = 0; v < outH; v++)
            for (int u = 0; u < outW; u++)
            {
                double uu = flip ? outW - 1 - u : u;
                double sx = Math.Clamp(left + (uu + 0.5) * bw / outW - 0.5, 0, w - 1);
                double sy = Math.Clamp(top + (v + 0.5) * bh / outH - 0.5, 0, h - 1);
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
                double fx = sx - x0, fy = sy - y0;
                o[v, u] = (1 - fy) * ((1 - fx) * img[y0, x0] + fx * img[y0, x1]) + fy * ((1 - fx) * img[y1, x0] + fx * img[y1, x1]);
            }
        return o;
    }

    private static double Gray(double[][,] img, int y, int x) =>
        img.Length == 1 ? img[0][y, x] : Luma[0] * img[0][y, x] + Luma[1] * img[1][y, x] + Luma[2] * img[2][y, x];

    private static double[][,] Map(double[][,] img, Func<int, int, int, double> f)
    {
        int c = img.Length, h = img[0].GetLength(0), w = img[0].GetLength(1);
        var r = new double[c][,];
        for (int k = 0; k < c; k++) { r[k] = new double[h, w]; for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r[k][y, x] = Math.Clamp(f(k, y, x), 0, 1); }
        return r;
    }

    public static double[][,] Brightness(double[][,] img, double f) => Map(img, (k, y, x) => f * img[k][y, x]);

    public static double[][,] Contrast(double[][,] img, double f)
    {
        int h = img[0].GetLength(0), w = img[0].GetLength(1);
        double mean = 0;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) mean += Gray(img, y, x);
        mean /= h * w;
        return Map(img, (k, y, x) => f * img[k][y, x] + (1 - f) * mean);
    }

    public static double[][,] Saturation(double[][,] img, double f) =>
        img.Length == 1 ? img : Map(img, (k, y, x) => f * img[k][y, x] + (1 - f) * Gray(img, y, x));

    public static double[][,] Grayscale(double[][,] img) => img.Length == 1 ? img : Map(img, (k, y, x) => Gray(img, y, x));

    /// <summary>Hue: RGB -> YIQ, rotate (I, Q) by 2 pi turns, back to RGB (inverse by the adjugate), clamp.</summary>
    public static double[][,] Hue(double[][,] img, double turns)
    {
        if (img.Length == 1) return img;
        double[,] t = { { 0.299, 0.587, 0.114 }, { 0.596, -0.274, -0.322 }, { 0.211, -0.523, 0.312 } };
        var inv = Inverse3(t);
        double a = 2 * Math.PI * turns, cs = Math.Cos(a), sn = Math.Sin(a);
        return Map(img, (k, y, x) =>
        {
            double r = img[0][y, x], g = img[1][y, x], b = img[2][y, x];
            double yy = t[0, 0] * r + t[0, 1] * g + t[0, 2] * b;
            double i = t[1, 0] * r + t[1, 1] * g + t[1, 2] * b;
            double q = t[2, 0] * r + t[2, 1] * g + t[2, 2] * b;
            double i2 = cs * i - sn * q, q2 = sn * i + cs * q;
            return inv[k, 0] * yy + inv[k, 1] * i2 + inv[k, 2] * q2;
        });
    }

    private static double[,] Inverse3(double[,] m)
    {
        double det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                // Cofactor of m[j, i] (transposed) over det.
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                r[i, j] = (m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0]) / det;
            }
        return r;
    }
}
