using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>Builds a <see cref="ContrastiveModel"/> from a <see cref="ModelConfig"/>.</summary>
public static class ModelFactory
{
    /// <summary>The <c>--model</c> choices: each backbone name and how to build it for a number of input channels.</summary>
    public static ChoiceSet<Func<int, Backbone>> Backbones { get; } = new("--model", "model",
        new("convnet", c => new SmallConvNet(c), "small, fast on CPU"),
        new("convn", c => new ConvN(c), "3 stride-2 convs 32/64/64 + dense 128 (Chen et al.'s RandBit encoder), fastest"),
        new("convn-wide", c => new ConvN(c, widthFactor: 2), "convn at twice the width: 64/128/128 + dense 128"),
        new("resnet18", c => new ResNet18(c), "CIFAR stem"));

    /// <summary>The backbone names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Backbones.Names;

    /// <summary>
    /// Validates the configuration and builds the model (on the CPU, or on <paramref name="device"/>). Weights are
    /// initialised by TorchSharp's defaults (PyTorch's) from the global torch RNG: call <c>torch.manual_seed</c>
    /// first for a reproducible initialisation.
    /// </summary>
    /// <param name="config">Backbone name, input channels, embedding size, head and projection size.</param>
    /// <param name="device">Where to put the parameters; null = CPU.</param>
    /// <remarks>Switches libtorch's NNPACK kernels off for the process (<see cref="Nnpack"/>).</remarks>
    /// <exception cref="UserInputException">Unknown name (the message lists the names) or a size below 1.</exception>
    public static ContrastiveModel Create(ModelConfig config, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Nnpack.Enabled = false;
        if (config.InChannels < 1) throw new UserInputException($"input channels = {config.InChannels}: expected >= 1.");
        if (config.EmbeddingSize is < 1) throw new UserInputException($"--embedding {config.EmbeddingSize}: expected a size >= 1.");
        if (config.Head != ProjectionHeadKind.None && config.ProjectionSize < 1)
            throw new UserInputException($"projection size = {config.ProjectionSize}: expected >= 1.");
        Backbone backbone = Backbones.Parse(config.Name)(config.InChannels);
        long p = config.EmbeddingSize ?? backbone.DefaultRepresentationSize;
        var head = new ProjectionHead(config.Head, p, config.ProjectionSize);
        var model = new ContrastiveModel(config, backbone, p, head);
        if (device is not null) model.to(device);
        return model;
    }
}
