using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Mirrors each image left-right with probability <see cref="P"/>, independently per sample. In
/// <see cref="AugmentationPipeline"/> the flip is folded into the crop's affine map (one resampling pass).
/// </summary>
public sealed class RandomHorizontalFlip
{
    /// <summary>Creates the transform; throws <see cref="UserInputException"/> unless p is in [0, 1].</summary>
    /// <param name="p">Probability of a flip.</param>
    public RandomHorizontalFlip(double p = 0.5)
    {
        if (!(p >= 0 && p <= 1)) throw new UserInputException($"flip probability = {p}: expected a number in [0, 1].");
        P = p;
    }

    /// <summary>Probability of a flip.</summary>
    public double P { get; }

    /// <summary>Draws which samples are flipped: bool [B] on the CPU.</summary>
    /// <param name="batch">B.</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor SampleFlips(long batch, Generator generator) => RandomDraws.Mask(generator, P, batch);

    /// <summary>Flips the drawn samples (exact copy of the pixels, no resampling).</summary>
    /// <param name="images">float32 [B, C, H, W].</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ImageTensors.CheckBatch(images, nameof(RandomHorizontalFlip));
        using var scope = NewDisposeScope();
        var flips = SampleFlips(images.shape[0], generator).to(images.device).view(-1, 1, 1, 1); // [B, 1, 1, 1]
        return where(flips, images.flip(3), images).MoveToOuterDisposeScope();                  // [B, C, H, W]
    }
}
