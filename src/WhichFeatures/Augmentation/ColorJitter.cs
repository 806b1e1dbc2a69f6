using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Colour jitter with per-sample factors, applied to a sample with probability <see cref="P"/> (SimCLR's
/// RandomApply). Brightness, contrast and saturation follow torchvision (factor uniform in [max(0, 1 - s), 1 + s],
/// blend with black / the mean grey level / the per-pixel grey, clamp to [0, 1] after each operation). Hue is a
/// rotation of the chroma plane in YIQ space by 2 pi h, h uniform in [-hue, hue] (torchvision shifts the hue in
/// HSV instead; both turn the colour wheel by the same fraction for in-gamut colours, YIQ is linear and batched).
/// The four operations run in a random order per sample (torchvision draws one per image) or, with
/// <see cref="RandomOrder"/> false, in the fixed order brightness, contrast, saturation, hue.
/// </summary>
/// <remarks>
/// Every operation is a per-sample 3x3 colour matrix (contrast adds a per-sample offset), so one step of the
/// batch is a bmm + clamp. For 1-channel images brightness and contrast apply; saturation and hue leave grey
/// images unchanged (as torchvision does).
/// </remarks>
public sealed class ColorJitter
{
    /// <summary>Creates the transform; throws <see cref="UserInputException"/> for invalid strengths.</summary>
    /// <param name="brightness">Brightness strength, &gt;= 0.</param>
    /// <param name="contrast">Contrast strength, &gt;= 0.</param>
    /// <param name="saturation">Saturation strength, &gt;= 0.</param>
    /// <param name="hue">Hue strength in turns, in [0, 0.5].</param>
    /// <param name="p">Probability that a sample is jittered at all, in [0, 1].</param>
    /// <param name="randomOrder">Random order of the four operations per sample (true) or the fixed order.</param>
    public ColorJitter(double brightness = 0.4, double contrast = 0.4, double saturation = 0.4, double hue = 0.1, double p = 0.8, bool randomOrder = true)
    {
        CheckStrength(brightness, "brightness");
        CheckStrength(contrast, "contrast");
        CheckStrength(saturation, "saturation");
        if (!(hue >= 0 && hue <= 0.5)) throw new UserInputException($"jitter hue = {hue}: expected a number in [0, 0.5] (a fraction of the colour wheel).");
        if (!(p >= 0 && p <= 1)) throw new UserInputException($"jitter probability = {p}: expected a number in [0, 1].");
        Brightness = brightness; Contrast = contrast; Saturation = saturation; Hue = hue; P = p; RandomOrder = randomOrder;
    }

    /// <summary>Brightness strength: factor uniform in [max(0, 1 - b), 1 + b].</summary>
    public double Brightness { get; }
    /// <summary>Contrast strength: factor uniform in [max(0, 1 - c), 1 + c].</summary>
    public double Contrast { get; }
    /// <summary>Saturation strength: factor uniform in [max(0, 1 - s), 1 + s].</summary>
    public double Saturation { get; }
    /// <summary>Hue strength: shift uniform in [-h, h] turns.</summary>
    public double Hue { get; }
    /// <summary>Probability that a sample is jittered.</summary>
    public double P { get; }
    /// <summary>Whether each sample gets its own random order of the four operations.</summary>
    public bool RandomOrder { get; }

    /// <summary>Draws factors and orders for <paramref name="batch"/> samples (always the same number of draws).</summary>
    /// <param name="batch">B.</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public ColorJitterParameters SampleParameters(long batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var applied = RandomDraws.Mask(generator, P, batch).unsqueeze(1);                          // [B, 1]
        var b = RandomDraws.Uniform(generator, Math.Max(0, 1 - Brightness), 1 + Brightness, batch); // [B]
        var c = RandomDraws.Uniform(generator, Math.Max(0, 1 - Contrast), 1 + Contrast, batch);     // [B]
        var s = RandomDraws.Uniform(generator, Math.Max(0, 1 - Saturation), 1 + Saturation, batch); // [B]
        var h = RandomDraws.Uniform(generator, -Hue, Hue, batch);                                   // [B]
        var identity = tensor(new double[] { 1, 1, 1, 0 }).unsqueeze(0);                            // [1, 4]
        var factors = where(applied, stack(new[] { b, c, s, h }, 1), identity);                     // [B, 4]
        var keys = RandomDraws.Uniform(generator, 0, 1, batch, 4);                                  // [B, 4]
        var order = RandomOrder ? keys.argsort(1) : arange(4, dtype: ScalarType.Int64).unsqueeze(0).expand(batch, 4).contiguous(); // [B, 4]
        return new ColorJitterParameters(factors.MoveToOuterDisposeScope(), order.MoveToOuterDisposeScope());
    }

    /// <summary>Jitters each sample with freshly drawn parameters.</summary>
    /// <param name="images">float32 [B, C, H, W] in [0, 1], C = 1 or 3.</param>
    /// <param name="generator">CPU generator the parameters come from.</param>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ImageTensors.CheckBatch(images, nameof(ColorJitter));
        using var parameters = SampleParameters(images.shape[0], generator);
        return Apply(images, parameters);
    }

    /// <summary>Jitters each sample with the given parameters (deterministic).</summary>
    /// <param name="images">float32 [B, C, H, W] in [0, 1], C = 1 or 3.</param>
    /// <param name="parameters">Factors and orders, one row per sample.</param>
    public static Tensor Apply(Tensor images, ColorJitterParameters parameters)
    {
        ImageTensors.CheckBatch(images, nameof(ColorJitter));
        long b = images.shape[0], c = images.shape[1], hw = images.shape[2] * images.shape[3];
        if (parameters.Factors.shape[0] != b || parameters.Order.shape[0] != b)
            throw new ArgumentException($"parameters are for {parameters.Factors.shape[0]} samples, images has {b}", nameof(parameters));
        using var scope = NewDisposeScope();
        var f = parameters.Factors.to(CPU).to_type(ScalarType.Float64);                             // [B, 4]
        var order = parameters.Order.to(CPU).to_type(ScalarType.Int64);                             // [B, 4]
        var candidates = ColorMatrices(f, c);                                                       // [B, 4, C, C]
        var contrastOffset = f[.., ColorJitterParameters.Contrast].neg().add(1);                    // [B] (1 - c)
        var grayWeights = c == 3
            ? tensor(ImageTensors.GrayWeights, dtype: images.dtype, device: images.device).view(1, 3) // [1, 3]
            : ones(1, 1, dtype: images.dtype, device: images.device);                                // [1, 1]
        var x = images.reshape(b, c, hw);                                                           // [B, C, HW]
        for (int step = 0; step < 4; step++)
        {
            var op = order[.., step];                                                               // [B]
            var matrix = candidates.gather(1, op.view(b, 1, 1, 1).expand(b, 1, c, c)).squeeze(1)    // [B, C, C]
                .to_type(images.dtype).to(images.device);
            var isContrast = op.eq(ColorJitterParameters.Contrast);                                 // [B]
            Tensor y;
            if (isContrast.any().ToBoolean())
            {
                // Contrast blends with the mean grey level of the image as it is at this step.
                var meanGray = x.mean(new long[] { 2 }).mul(grayWeights).sum(1);                    // [B]
                var coef = where(isContrast, contrastOffset, 0.0).to_type(images.dtype).to(images.device); // [B]
                y = matrix.bmm(x).add_(meanGray.mul(coef).view(b, 1, 1));                           // [B, C, HW]
            }
            else
            {
                y = matrix.bmm(x);                                                                  // [B, C, HW]
            }
            x = y.clamp_(0, 1);
        }
        return x.view(images.shape).MoveToOuterDisposeScope();                                      // [B, C, H, W]
    }

    /// <summary>
    /// The colour matrix of each operation for each sample, float64 [B, 4, C, C] (ids as in
    /// <see cref="ColorJitterParameters"/>); contrast's offset is added separately.
    /// </summary>
    internal static Tensor ColorMatrices(Tensor factors, long channels)
    {
        using var scope = NewDisposeScope();
        long b = factors.shape[0];
        var fb = factors[.., 0].view(b, 1, 1); var fc = factors[.., 1].view(b, 1, 1);               // [B, 1, 1]
        var fs = factors[.., 2].view(b, 1, 1); var fh = factors[.., 3];                              // [B, 1, 1], [B]
        if (channels == 1)
        {
            var one = ones(b, 1, 1, dtype: ScalarType.Float64);                                     // grey: no saturation / hue
            return stack(new[] { fb, fc, one, one }, 1).MoveToOuterDisposeScope();                  // [B, 4, 1, 1]
        }
        var eye3 = eye(3, dtype: ScalarType.Float64).unsqueeze(0);                                  // [1, 3, 3]
        var grayRows = tensor(ImageTensors.GrayWeights).view(1, 3).expand(3, 3).unsqueeze(0);       // [1, 3, 3] each row = luma weights
        var brightness = eye3.mul(fb);                                                              // [B, 3, 3]
        var contrast = eye3.mul(fc);                                                                // [B, 3, 3]
        var saturation = eye3.mul(fs).add(grayRows.mul(fs.neg().add(1)));                           // [B, 3, 3]
        var hue = HueMatrices(fh);                                                                  // [B, 3, 3]
        return stack(new[] { brightness, contrast, saturation, hue }, 1).MoveToOuterDisposeScope(); // [B, 4, 3, 3]
    }

    /// <summary>RGB -> RGB matrices that rotate the YIQ chroma plane by 2 pi turns: float64 [B, 3, 3].</summary>
    internal static Tensor HueMatrices(Tensor turns)
    {
        using var scope = NewDisposeScope();
        long b = turns.shape[0];
        var toYiq = tensor(new double[] { 0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312 }).view(3, 3); // [3, 3]
        var fromYiq = linalg.inv(toYiq);                                                            // [3, 3]
        var angle = turns.to_type(ScalarType.Float64).mul(2 * Math.PI);                             // [B]
        var cos = angle.cos(); var sin = angle.sin(); var one = ones_like(cos); var zero = zeros_like(cos);
        var rotation = stack(new[] { one, zero, zero, zero, cos, sin.neg(), zero, sin, cos }, 1).view(b, 3, 3); // [B, 3, 3]
        return fromYiq.matmul(rotation).matmul(toYiq).MoveToOuterDisposeScope();                   // [B, 3, 3]
    }

    private static void CheckStrength(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value))) throw new UserInputException($"jitter {name} = {value}: expected a finite number >= 0.");
    }
}
