using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Turns each RGB image into grey (luma replicated over the 3 channels) with probability <see cref="P"/>,
/// independently per sample. 1-channel images are already grey and pass unchanged.
/// </summary>
public sealed class RandomGrayscale
{
    /// <summary>Creates the transform; throws <see cref="UserInputException"/> unless p is in [0, 1].</summary>
    /// <param name="p">Probability of turning a sample grey.</param>
    public RandomGrayscale(double p = 0.2)
    {
        if (!(p >= 0 && p <= 1)) throw new UserInputException($"grayscale probability = {p}: expected a number in [0, 1].");
        P = p;
    }

    /// <summary>Probability of turning a sample grey.</summary>
    public double P { get; }

    /// <summary>Draws which samples turn grey: bool [B] on the CPU.</summary>
    /// <param name="batch">B.</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor SampleMask(long batch, Generator generator) => RandomDraws.Mask(generator, P, batch);

    /// <summary>Greys the drawn samples.</summary>
    /// <param name="images">float32 [B, C, H, W] in [0, 1].</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ImageTensors.CheckBatch(images, nameof(RandomGrayscale));
        using var mask = SampleMask(images.shape[0], generator);
        return Apply(images, mask);
    }

    /// <summary>Greys the samples where <paramref name="mask"/> is true (deterministic).</summary>
    /// <param name="images">float32 [B, C, H, W] in [0, 1].</param>
    /// <param name="mask">bool [B].</param>
    public static Tensor Apply(Tensor images, Tensor mask)
    {
        ImageTensors.CheckBatch(images, nameof(RandomGrayscale));
        if (images.shape[1] == 1) return images.alias();
        using var scope = NewDisposeScope();
        long b = images.shape[0];
        // One pass over the pixels: a per-sample 3x3 colour matrix, luma rows where masked, identity elsewhere.
        var luma = tensor(ImageTensors.GrayWeights).view(1, 3).expand(3, 3).unsqueeze(0);    // [1, 3, 3]
        var identity = eye(3, dtype: ScalarType.Float64).unsqueeze(0);                       // [1, 3, 3]
        var matrix = where(mask.to(CPU).view(b, 1, 1), luma, identity)                       // [B, 3, 3]
            .to_type(images.dtype).to(images.device);
        var output = matrix.bmm(images.reshape(b, 3, -1));                                   // [B, 3, HW]
        return output.view(images.shape).MoveToOuterDisposeScope();                          // [B, 3, H, W]
    }
}
