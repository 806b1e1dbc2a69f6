using TorchSharp;
using TorchSharp.Modules;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// The small CPU-friendly encoder: four conv-BN-ReLU blocks of widths 32/64/128/256, a 2x2 max-pool after each
/// of the first three (32x32 -> 4x4; 28x28 -> 3x3), then global average pooling to 256.
/// </summary>
public sealed class SmallConvNet : Backbone
{
    private readonly ModuleList<ConvBlock> blocks;
    private readonly long outputSize;

    /// <summary>Creates the network.</summary>
    /// <param name="inChannels">Input channels (image channels + RandBit channels), &gt;= 1.</param>
    /// <param name="widths">Block widths; default 32, 64, 128, 256. Every block but the last is followed by a max-pool.</param>
    public SmallConvNet(int inChannels, IReadOnlyList<int>? widths = null) : base(nameof(SmallConvNet))
    {
        if (inChannels < 1) throw new UserInputException($"input channels = {inChannels}: expected >= 1.");
        var w = widths ?? new[] { 32, 64, 128, 256 };
        if (w.Count == 0 || w.Any(v => v < 1)) throw new UserInputException("convnet widths: expected one or more positive numbers.");
        var list = new List<ConvBlock>();
        long c = inChannels;
        for (int i = 0; i < w.Count; i++) { list.Add(new ConvBlock(c, w[i], pool: i < w.Count - 1)); c = w[i]; }
        blocks = nn.ModuleList(list.ToArray());
        outputSize = c;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override long OutputSize => outputSize;

    /// <summary>[B, C, H, W] -> [B, 256].</summary>
    /// <param name="x">Images (with any extra channels).</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var block in blocks) y = block.call(y);                                     // [B, w, h, w']
        return nn.functional.adaptive_avg_pool2d(y, 1).flatten(1).MoveToOuterDisposeScope(); // [B, width]
    }
}
