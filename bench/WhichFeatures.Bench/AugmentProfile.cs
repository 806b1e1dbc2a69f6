using System.Diagnostics;
using TorchSharp;
using WhichFeatures.Augmentation;
using static TorchSharp.torch;

namespace WhichFeatures.Bench;

/// <summary>Profiling aid for workload 3: where the SimCLR augmentation's time goes, stage by stage.</summary>
public static class AugmentProfile
{
    /// <summary>Prints images/s of the whole pipeline and of each stage at the given batch size.</summary>
    /// <param name="batch">Images per call.</param>
    /// <param name="seconds">Time per stage.</param>
    /// <param name="log">Where to print.</param>
    public static void Run(int batch, double seconds, TextWriter log)
    {
        using var images = randint(0, 256, new long[] { batch, 3, 32, 32 }, dtype: ScalarType.Byte, generator: new Generator(1)); // [B, 3, 32, 32]
        using var gen = new Generator(42);
        using var f = ImageTensors.ToFloat(images);                                              // [B, 3, 32, 32]
        var pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
        var crop = pipeline.Crop!; var flip = pipeline.Flip!; var jitter = pipeline.Jitter!; var gray = pipeline.Grayscale!;
        using var rxT = rand(batch, 32, 32);
        using var ryU = rand(batch, 1, 32, 32);
        var stages = new (string, Action)[]
        {
            ("whole pipeline", () => pipeline.Apply(images, gen)),
            ("uint8 -> float", () => ImageTensors.ToFloat(images)),
            ("crop boxes + flips (draws)", () => { crop.SampleBoxes(batch, 32, 32, gen); flip.SampleFlips(batch, gen); }),
            ("crop + flip resample", () => CropResize.Apply(f, crop.SampleBoxes(batch, 32, 32, gen), flip.SampleFlips(batch, gen))),
            // The separable alternative to grid_sample (R_y · image · R_xᵀ per sample): its two batched matmuls alone.
            ("  separable crop: 2 bmm only", () => { var rows = f.reshape(batch, 96, 32).bmm(rxT); ryU.matmul(rows.view(batch, 3, 32, 32)); }),
            ("jitter parameters (draws)", () => jitter.SampleParameters(batch, gen).Dispose()),
            ("colour jitter", () => jitter.Apply(f, gen)),
            ("grayscale", () => gray.Apply(f, gen)),
            ("stages chained by hand", () =>
            {
                var x = ImageTensors.ToFloat(images);
                x = CropResize.Apply(x, crop.SampleBoxes(batch, 32, 32, gen), flip.SampleFlips(batch, gen));
                x = jitter.Apply(x, gen);
                gray.Apply(x, gen);
            }),
            ("whole pipeline (again)", () => pipeline.Apply(images, gen)),
        };
        foreach (var (name, action) in stages)
        {
            for (int i = 0; i < 3; i++) using (NewDisposeScope()) action();
            var sw = Stopwatch.StartNew();
            int calls = 0;
            while (sw.Elapsed.TotalSeconds < seconds) { using (NewDisposeScope()) action(); if (++calls % 50 == 0) GC.Collect(); }
            double ms = 1000 * sw.Elapsed.TotalSeconds / calls;
            log.WriteLine($"  {name,-28} {ms,8:F3} ms/call  {batch / ms * 1000,10:N0} img/s");
        }
    }
}
