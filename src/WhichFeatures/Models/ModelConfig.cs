namespace WhichFeatures.Models;

/// <summary>What <see cref="ModelFactory.Create"/> builds; validated there.</summary>
public sealed record ModelConfig
{
    /// <summary>Backbone name: <c>convnet</c> (small, fast on CPU) or <c>resnet18</c> (CIFAR stem).</summary>
    public string Name { get; init; } = "convnet";
    /// <summary>Input channels: 3 for RGB, 1 for MNIST, plus k for k RandBit channels.</summary>
    public int InChannels { get; init; } = 3;
    /// <summary>
    /// Representation (encoder output) size p. Null = the backbone's default (256 convnet, 512 resnet18, 128 convn);
    /// another value adds a Linear(width, p) after global average pooling, and that layer's output is the
    /// representation.
    /// </summary>
    public int? EmbeddingSize { get; init; }
    /// <summary>The projection head on top of the representation.</summary>
    public ProjectionHeadKind Head { get; init; } = ProjectionHeadKind.Mlp;
    /// <summary>Output size of a linear or MLP head (ignored for <see cref="ProjectionHeadKind.None"/>).</summary>
    public int ProjectionSize { get; init; } = 128;
}
