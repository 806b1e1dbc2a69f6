using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Augmentation;

/// <summary>
/// Where augmentation parameters come from: a CPU <see cref="Generator"/>. Parameters are a few numbers per
/// image, so drawing them on the CPU costs nothing and makes a seed give the same augmentation on every device.
/// </summary>
internal static class RandomDraws
{
    /// <summary>Uniform float64 in [low, high), shape <paramref name="size"/>, on the CPU.</summary>
    public static Tensor Uniform(Generator generator, double low, double high, params long[] size)
    {
        CheckCpu(generator);
        var u = rand(size, dtype: ScalarType.Float64, device: CPU, generator: generator);
        return high == low ? u.mul_(0).add_(low) : u.mul_(high - low).add_(low);
    }

    /// <summary>Bernoulli(p) mask, bool [n] on the CPU.</summary>
    public static Tensor Mask(Generator generator, double p, long n)
    {
        CheckCpu(generator);
        using var u = rand(new[] { n }, dtype: ScalarType.Float64, device: CPU, generator: generator);
        return u.lt(p);
    }

    private static void CheckCpu(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (generator.device.type != DeviceType.CPU)
            throw new ArgumentException("augmentation parameters are drawn from a CPU torch.Generator", nameof(generator));
    }
}
