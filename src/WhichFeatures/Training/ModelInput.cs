using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// Turns (augmented or plain) images into the model's input: per-channel standardisation with the training
/// split's statistics, then the RandBit bits appended as constant channels. The bits come AFTER augmentation,
/// so no augmentation can remove them (Chen et al. 2021; docs/paper.md §5).
/// </summary>
public sealed class ModelInput : IDisposable
{
    private readonly Tensor _mean, _std;   // [1, C, 1, 1]

    /// <summary>Computes the channel statistics of <paramref name="train"/> (in [0, 1] units).</summary>
    /// <param name="train">The training split (its first 10,000 images give the statistics).</param>
    /// <param name="device">Where the statistics live.</param>
    public ModelInput(ImageDataset train, Device device)
    {
        using var scope = NewDisposeScope();
        var sample = train.Images.narrow(0, 0, Math.Min(train.Count, 10_000));
        var x = ImageTensors.ToFloat(sample);                                                   // [n, C, H, W]
        _mean = x.mean([0, 2, 3], keepdim: true).to(device).MoveToOuterDisposeScope();         // [1, C, 1, 1]
        _std = x.std([0, 2, 3], keepdim: true).clamp_min(1e-3).to(device).MoveToOuterDisposeScope();
        ImageChannels = train.Channels;
        ExtraChannels = train.ExtraChannelCount;
    }

    /// <summary>Image channels (1 or 3).</summary>
    public int ImageChannels { get; }
    /// <summary>RandBit channels appended.</summary>
    public int ExtraChannels { get; }
    /// <summary>Channels the model sees.</summary>
    public int InChannels => ImageChannels + ExtraChannels;

    /// <summary>Standardises float images [B, C, H, W] and appends extra [B, k] as constant planes.</summary>
    public Tensor Prepare(Tensor images, Tensor? extra)
    {
        var x = (images - _mean) / _std;                                                        // [B, C, H, W]
        if (ExtraChannels > 0 && extra is not null)
        {
            var e = extra.to(x.device).to_type(x.dtype).reshape(x.shape[0], ExtraChannels, 1, 1)   // [B, k, 1, 1]
                         .expand(-1, -1, x.shape[2], x.shape[3]);                                   // [B, k, H, W]
            x = cat([x, e], 1);                                                                     // [B, C + k, H, W]
        }
        return x;
    }

    /// <summary>Both augmented views of a batch as one model input: view 1 rows first, then view 2, [2B, C + k, H, W].</summary>
    public Tensor PrepareTwoViews(Tensor view1, Tensor view2, Tensor? extra) =>
        cat([Prepare(view1, extra), Prepare(view2, extra)], 0);                                  // [2B, C + k, H, W]

    /// <inheritdoc />
    public void Dispose() { _mean.Dispose(); _std.Dispose(); }
}
