using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Augmentation;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workload 3: the SimCLR augmentation alone (crop 0.2-1, flip, jitter 0.4/0.4/0.4/0.1 p 0.8, grayscale p 0.2) with
/// per-sample parameters, uint8 [B, 3, 32, 32] in, float [0, 1] out. PyTorch side: torchvision per PIL image.
/// </summary>
public sealed class AugmentWorkload : IWorkload
{
    private readonly AugmentationPipeline _pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
    private readonly Tensor _images;
    private readonly Generator _gen = new(42);
    private readonly int _batch;
    private long _calls;

    /// <summary>Random uint8 images.</summary>
    /// <param name="batch">Images per call.</param>
    public AugmentWorkload(int batch)
    {
        _batch = batch;
        _images = randint(0, 256, new long[] { batch, 3, 32, 32 }, dtype: ScalarType.Byte, generator: new Generator(1)); // [B, 3, 32, 32]
    }

    /// <inheritdoc />
    public string Id => "w3";
    /// <inheritdoc />
    public string Label => $"augmentation simclr, 32x32, per-sample (batch {_batch})";
    /// <inheritdoc />
    public string Unit => "img";
    /// <inheritdoc />
    public int Warmup => 3;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "augment", ["batch"] = _batch };

    /// <inheritdoc />
    public double Step()
    {
        using (NewDisposeScope()) _pipeline.Apply(_images, _gen);                                 // [B, 3, 32, 32]
        if (++_calls % 50 == 0) GC.Collect();
        return _batch;
    }

    /// <inheritdoc />
    public void Dispose() { _images.Dispose(); _gen.Dispose(); }
}
