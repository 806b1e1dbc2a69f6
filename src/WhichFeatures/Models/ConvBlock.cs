using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>3x3 conv (no bias) - BatchNorm - ReLU, optionally followed by a 2x2 max-pool.</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly bool pool;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="pool">Whether to halve the spatial size with a 2x2 max-pool at the end.</param>
    public ConvBlock(long inChannels, long outChannels, bool pool) : base(nameof(ConvBlock))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        this.pool = pool;
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] -> [B, out, H, W] (or H/2, W/2 with pooling).</summary>
    /// <param name="x">Input feature map.</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = PiecewiseDecisions.Relu(bn.call(conv.call(x)));                      // [B, out, H, W]
        if (pool) y = PiecewiseDecisions.MaxPool2x2(y);                        // [B, out, H/2, W/2]
        return y.MoveToOuterDisposeScope();
    }
}
