using TorchSharp;
using TorchSharp.Modules;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// ResNet-18 with the CIFAR stem: a 3x3 stride-1 conv (64 channels) + BN + ReLU and NO max-pool, so a 32x32
/// image stays 32x32 into layer1 (the ImageNet stem's 7x7 stride-2 conv + max-pool would shrink it to 8x8 and
/// cost several points of accuracy). Then 4 stages of 2 basic blocks (64, 128, 256, 512; strides 1, 2, 2, 2)
/// and global average pooling to 512. 11,168,832 parameters at 3 input channels (11,173,962 with a 10-class fc).
/// </summary>
public sealed class ResNet18 : Backbone
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    /// <summary>Creates the network.</summary>
    /// <param name="inChannels">Input channels (image channels + RandBit channels), &gt;= 1.</param>
    public ResNet18(int inChannels) : base(nameof(ResNet18))
    {
        if (inChannels < 1) throw new UserInputException($"input channels = {inChannels}: expected >= 1.");
        conv1 = nn.Conv2d(inChannels, 64, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(64);
        layer1 = Stage(64, 64, 1);
        layer2 = Stage(64, 128, 2);
        layer3 = Stage(128, 256, 2);
        layer4 = Stage(256, 512, 2);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override long OutputSize => 512;

    /// <summary>The stem alone: [B, C, H, W] -> [B, 64, H, W] (same spatial size: stride 1, no max-pool).</summary>
    /// <param name="x">Images (with any extra channels).</param>
    public Tensor ForwardStem(Tensor x) => PiecewiseDecisions.Relu(bn1.call(conv1.call(x)));

    /// <summary>[B, C, H, W] -> [B, 512].</summary>
    /// <param name="x">Images (with any extra channels).</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = ForwardStem(x);                                                     // [B, 64, H, W]
        y = layer4.call(layer3.call(layer2.call(layer1.call(y))));                  // [B, 512, H/8, W/8]
        return nn.functional.adaptive_avg_pool2d(y, 1).flatten(1).MoveToOuterDisposeScope(); // [B, 512]
    }

    private static Sequential Stage(long inChannels, long outChannels, long stride) =>
        nn.Sequential(new BasicBlock(inChannels, outChannels, stride), new BasicBlock(outChannels, outChannels, 1));
}
