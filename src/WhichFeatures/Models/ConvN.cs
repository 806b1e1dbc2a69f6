using TorchSharp;
using TorchSharp.Modules;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// The small fast encoder of Chen et al.'s RandBit study ("ConvN"): three 3x3 stride-2 conv-BN-ReLU layers of widths
/// 32/64/64, a 4x4 average pool (the identity for 28x28 and 32x32 inputs, which both reach 4x4) and a flatten to
/// 1,024. Its representation is the dense layer after it (Linear(1024, p), p = 128 unless --embedding says otherwise),
/// which <see cref="ContrastiveModel"/> adds because <see cref="DefaultRepresentationSize"/> differs from the width.
/// </summary>
public sealed class ConvN : Backbone
{
    private readonly Sequential layers;
    private readonly long lastWidth;

    /// <summary>Creates the network.</summary>
    /// <param name="inChannels">Input channels (image channels + RandBit channels), &gt;= 1.</param>
    /// <param name="widthFactor">Multiplies every convolution's width (1: Chen et al.'s 32/64/64; 2: 64/128/128).</param>
    public ConvN(int inChannels, int widthFactor = 1) : base(nameof(ConvN))
    {
        if (inChannels < 1) throw new UserInputException($"input channels = {inChannels}: expected >= 1.");
        if (widthFactor < 1) throw new UserInputException($"ConvN width factor = {widthFactor}: expected >= 1.");
        var modules = new List<nn.Module<Tensor, Tensor>>();
        long c = inChannels;
        foreach (long width in new long[] { 32 * widthFactor, 64 * widthFactor, 64 * widthFactor })
        {
            modules.Add(nn.Conv2d(c, width, kernel_size: 3, stride: 2, padding: 1, bias: false));
            modules.Add(nn.BatchNorm2d(width));
            modules.Add(new Relu());
            c = width;
        }
        layers = nn.Sequential(modules);
        lastWidth = c;
        RegisterComponents();
    }

    /// <summary>Flattened width: the last convolution's channels (64 x the width factor) x 4 x 4.</summary>
    public override long OutputSize => lastWidth * 4 * 4;

    /// <summary>The dense layer's width when no embedding size is given.</summary>
    public override long DefaultRepresentationSize => 128;

    /// <summary>[B, C, H, W] -> [B, 1024 x the width factor].</summary>
    /// <param name="x">Images (with any extra channels).</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = layers.call(x);                                                   // [B, 64w, ceil(H/8), ceil(W/8)]
        return nn.functional.adaptive_avg_pool2d(y, 4).flatten(1).MoveToOuterDisposeScope();  // [B, 1024w]
    }
}
