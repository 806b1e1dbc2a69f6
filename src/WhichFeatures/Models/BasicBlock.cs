using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// ResNet basic block: conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus the input (through a 1x1 conv + BN when
/// the shape changes), then ReLU.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly nn.Module<Tensor, Tensor> shortcut;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first conv (2 halves the spatial size).</param>
    public BasicBlock(long inChannels, long outChannels, long stride) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        shortcut = stride != 1 || inChannels != outChannels
            ? nn.Sequential(nn.Conv2d(inChannels, outChannels, kernel_size: 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels))
            : nn.Identity();
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] -> [B, out, H / stride, W / stride].</summary>
    /// <param name="x">Input feature map.</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = PiecewiseDecisions.Relu(bn1.call(conv1.call(x)));                     // [B, out, H', W']
        y = bn2.call(conv2.call(y));                                            // [B, out, H', W']
        return PiecewiseDecisions.Relu(y.add(shortcut.call(x))).MoveToOuterDisposeScope();
    }
}
