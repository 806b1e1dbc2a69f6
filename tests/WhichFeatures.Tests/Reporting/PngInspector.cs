using SkiaSharp;

namespace WhichFeatures.Tests.Reporting;

/// <summary>Decodes PNGs in tests and checks that text was actually drawn (ScottPlot draws none without fonts).</summary>
public static class PngInspector
{
    /// <summary>Counts dark pixels (all channels below 110) in rows [y0, y1) of the image.</summary>
    public static int DarkPixelsInBand(byte[] png, int y0, int y1) => DarkPixelsInRect(png, 0, y0, int.MaxValue, y1);

    /// <summary>Counts dark pixels (all channels below 110) in the rectangle [x0, x1) x [y0, y1) of the image.</summary>
    public static int DarkPixelsInRect(byte[] png, int x0, int y0, int x1, int y1)
    {
        using var bmp = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable PNG");
        int count = 0;
        for (int y = Math.Max(0, y0); y < Math.Min(bmp.Height, y1); y++)
            for (int x = Math.Max(0, x0); x < Math.Min(bmp.Width, x1); x++)
            {
                var c = bmp.GetPixel(x, y);
                if (c.Red < 110 && c.Green < 110 && c.Blue < 110) count++;
            }
        return count;
    }

    /// <summary>True when the file is a PNG (signature) of at least the given size whose title band holds drawn text.</summary>
    public static bool HasTitleText(byte[] png) =>
        png.Length > 1000 && png[0] == 0x89 && png[1] == (byte)'P' && DarkPixelsInBand(png, 0, 40) > 40;
}
