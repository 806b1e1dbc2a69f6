using System.Runtime.InteropServices;
using SkiaSharp;
using WhichFeatures.Data;

namespace WhichFeatures.Reporting;

/// <summary>
/// A PNG grid of sample images: one row per value of a label (class names on the left), a few seeded samples
/// per row, each image scaled up by an integer factor with nearest-neighbour pixels. Written atomically.
/// </summary>
public static class SampleGrid
{
    /// <summary>Width of the name column in pixels.</summary>
    public const int NameColumn = 150;

    /// <summary>Gap between cells in pixels.</summary>
    public const int Gap = 2;

    /// <summary>Writes the grid to <paramref name="pngPath"/>; returns the image size.</summary>
    /// <param name="dataset">The images.</param>
    /// <param name="pngPath">The PNG file (written atomically; folders created).</param>
    /// <param name="perRow">Samples per row.</param>
    /// <param name="labelKey">The label whose values make the rows (at most <paramref name="maxRows"/> rows: the first values).</param>
    /// <param name="seed">Which samples (seeded).</param>
    /// <param name="scale">Pixel scale factor.</param>
    /// <param name="maxRows">At most this many rows.</param>
    public static (int Width, int Height) Write(ImageDataset dataset, string pngPath, int perRow = 8, string labelKey = LabelKeys.Class,
        long seed = 0, int scale = 2, int maxRows = 20)
    {
        var png = Render(dataset, perRow, labelKey, seed, scale, maxRows, out var size);
        AtomicFile.WriteAllBytes(pngPath, png);
        return size;
    }

    /// <summary>The example index shown in each row and column ([row][col]; -1 when the row has fewer examples): seeded, per label value.</summary>
    public static long[][] ChooseSamples(ImageDataset dataset, int perRow, string labelKey, long seed, int rows)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var labels = dataset.LabelValues(labelKey);
        var rng = new SeededRandom(seed);
        var result = new long[rows][];
        for (int r = 0; r < rows; r++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == r).Select(i => (long)i).ToArray();
            rng.Shuffle(members);
            result[r] = Enumerable.Range(0, perRow).Select(c => c < members.Length ? members[c] : -1L).ToArray();
        }
        return result;
    }

    /// <summary>Renders the grid to PNG bytes.</summary>
    public static byte[] Render(ImageDataset dataset, int perRow, string labelKey, long seed, int scale, int maxRows, out (int Width, int Height) size)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (perRow < 1 || perRow > 100) throw new Core.UserInputException($"--per-class {perRow}: expected 1 to 100");
        if (scale < 1 || scale > 16) throw new ArgumentOutOfRangeException(nameof(scale), scale, "expected 1 to 16");
        var names = dataset.Names(labelKey);
        int rows = Math.Min(names.Count, maxRows);
        var chosen = ChooseSamples(dataset, perRow, labelKey, seed, rows);
        int c = dataset.Channels, h = dataset.Height, w = dataset.Width;
        int cellW = w * scale, cellH = h * scale;
        int width = NameColumn + perRow * (cellW + Gap), height = rows * (cellH + Gap) + Gap;
        size = (width, height);

        var rgba = new byte[width * height * 4];
        for (int i = 0; i < rgba.Length; i += 4) { rgba[i] = 255; rgba[i + 1] = 255; rgba[i + 2] = 255; rgba[i + 3] = 255; }
        // Copy only the shown images out of the tensor: slot k holds the k-th chosen index.
        var shown = chosen.SelectMany(row => row).Where(i => i >= 0).Distinct().ToArray();
        var slot = shown.Select((idx, k) => (idx, k)).ToDictionary(x => x.idx, x => (long)x.k);
        byte[] pixels;
        using (var sel = TorchSharp.torch.tensor(shown, dtype: TorchSharp.torch.ScalarType.Int64))
        using (var imgs = dataset.Images.index_select(0, sel).contiguous())                              // [S, C, H, W]
            pixels = TensorBytes.ToBytes(imgs);
        long per = (long)c * h * w;
        for (int r = 0; r < rows; r++)
            for (int col = 0; col < perRow; col++)
            {
                long idx = chosen[r][col];
                if (idx < 0) continue;
                int x0 = NameColumn + col * (cellW + Gap), y0 = Gap + r * (cellH + Gap);
                long start = slot[idx] * per;
                for (int y = 0; y < cellH; y++)
                    for (int x = 0; x < cellW; x++)
                    {
                        long p = start + (y / scale) * w + (x / scale);
                        int o = ((y0 + y) * width + x0 + x) * 4;
                        byte red = pixels[p];
                        rgba[o] = red;
                        rgba[o + 1] = c >= 3 ? pixels[p + (long)h * w] : red;
                        rgba[o + 2] = c >= 3 ? pixels[p + 2L * h * w] : red;
                    }
            }

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(SKTypeface.Default, 13))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            for (int r = 0; r < rows; r++)
            {
                var label = names[r].Length > 20 ? names[r][..19] + "…" : names[r];
                canvas.DrawText($"{r}: {label}", 4, Gap + r * (cellH + Gap) + cellH / 2f + 5, font, paint);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
