using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>A convolutional trunk ending in global average pooling: [B, C, H, W] -> [B, <see cref="OutputSize"/>].</summary>
public abstract class Backbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Names the module.</summary>
    /// <param name="name">Module name.</param>
    protected Backbone(string name) : base(name) { }

    /// <summary>Width of the pooled output.</summary>
    public abstract long OutputSize { get; }

    /// <summary>The representation size when the user gives none: the pooled width, unless the backbone ends in a dense layer of its own size.</summary>
    public virtual long DefaultRepresentationSize => OutputSize;
}
