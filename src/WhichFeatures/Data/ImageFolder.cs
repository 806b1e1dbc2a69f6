using SkiaSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// A user's own images: one subfolder per class (its name is the class name), PNG or JPEG files inside; optionally
/// split into <c>train/</c> and <c>test/</c>, each with the same class subfolders. Decoded with SkiaSharp (the imaging
/// library ScottPlot already brings) into RGB uint8 [N, 3, H, W].
/// </summary>
/// <remarks>
/// Classes are ordered by name (ordinal), files within a class by name, so the row order is reproducible.
/// Hidden files (starting with '.') are ignored. All images must have one size unless a target size is given, in
/// which case every image is resized to it (Skia's linear sampling).
/// </remarks>
public static class ImageFolder
{
    /// <summary>File extensions that are decoded.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Loads the folder: (train, test) when it has train/ and test/, else (all, null).</summary>
    /// <param name="root">The folder.</param>
    /// <param name="size">Resize every image to size x size; null keeps the files' size (which must then agree).</param>
    public static (ImageDataset Train, ImageDataset? Test) Load(string root, int? size = null)
    {
        if (!Directory.Exists(root)) throw new UserInputException($"--data-dir {root}: folder not found; expected one subfolder per class (optionally under train/ and test/).");
        string train = Path.Combine(root, "train"), test = Path.Combine(root, "test");
        if (Directory.Exists(train) && Directory.Exists(test))
        {
            var tr = LoadSplit(train, size, null);
            try { return (tr, LoadSplit(test, size, tr.Names())); }
            catch { tr.Dispose(); throw; }
        }
        return (LoadSplit(root, size, null), null);
    }

    private static ImageDataset LoadSplit(string dir, int? size, IReadOnlyList<string>? classNames)
    {
        var stray = Directory.GetFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        var classes = Directory.GetDirectories(dir).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Select(n => n!).Order(StringComparer.Ordinal).ToList();
        if (classes.Count == 0)
            throw new UserInputException($"--data-dir {dir}: no class subfolders; expected one subfolder per class with PNG/JPEG images.");
        if (stray.Count > 0)
            throw new UserInputException($"--data-dir {dir}: '{Path.GetFileName(stray[0])}' is a file beside the class folders; expected only class subfolders.");
        if (classNames is not null && !classes.SequenceEqual(classNames))
            throw new UserInputException($"--data-dir {dir}: classes {string.Join(", ", classes)} differ from train/'s {string.Join(", ", classNames)}; expected the same class subfolders in train/ and test/.");
        var images = new List<byte[]>();
        var labels = new List<long>();
        int h = -1, w = -1;
        for (int c = 0; c < classes.Count; c++)
        {
            var folder = Path.Combine(dir, classes[c]);
            var files = Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new UserInputException($"--data-dir {folder}: the class folder is empty; expected at least one PNG or JPEG image.");
            foreach (var f in files)
            {
                if (!Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    throw new UserInputException($"--data-dir {f}: not an image file; expected only .png, .jpg or .jpeg files in class folders.");
                var (pixels, ih, iw) = Decode(f, size);
                if (h < 0) (h, w) = (ih, iw);
                else if (ih != h || iw != w)
                    throw new UserInputException($"--data-dir {f}: {iw}x{ih} pixels, but the first image has {w}x{h}; pass --image-size to resize all images to one size.");
                images.Add(pixels);
                labels.Add(c);
            }
        }
        var all = new byte[images.Count * 3 * h * w];
        for (int i = 0; i < images.Count; i++) Buffer.BlockCopy(images[i], 0, all, i * 3 * h * w, 3 * h * w);
        return new ImageDataset(Path.GetFileName(dir), tensor(all, [images.Count, 3, h, w]),
            new Dictionary<string, Tensor> { [LabelKeys.Class] = tensor(labels.ToArray()) },
            new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = classes });
    }

    /// <summary>Decodes one file to RGB planes [3, H, W] (uint8), resized to size x size when given.</summary>
    public static (byte[] Pixels, int Height, int Width) Decode(string path, int? size = null)
    {
        using var decoded = SKBitmap.Decode(path)
            ?? throw new UserInputException($"--data-dir {path}: cannot decode the image; expected a valid PNG or JPEG file.");
        using var rgba = decoded.Copy(SKColorType.Rgba8888)
            ?? throw new UserInputException($"--data-dir {path}: cannot convert the image to RGB.");
        SKBitmap bmp = rgba;
        SKBitmap? resized = null;
        if (size is int s && (rgba.Width != s || rgba.Height != s))
            bmp = resized = rgba.Resize(new SKImageInfo(s, s, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear))
                ?? throw new UserInputException($"--data-dir {path}: cannot resize the image to {s}x{s}.");
        try
        {
            int h = bmp.Height, w = bmp.Width;
            var src = bmp.GetPixelSpan();
            var planes = new byte[3 * h * w];
            int rowBytes = bmp.RowBytes;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int o = y * rowBytes + 4 * x;
                    for (int ch = 0; ch < 3; ch++) planes[ch * h * w + y * w + x] = src[o + ch];
                }
            return (planes, h, w);
        }
        finally
        {
            resized?.Dispose();
        }
    }
}
