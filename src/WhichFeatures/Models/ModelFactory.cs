using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>Builds a <see cref="ContrastiveModel"/> from a <see cref="ModelConfig"/>.</summary>
public static class ModelFactory
{
    /// <summary>The backbone names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "convnet", "resnet18" };

    /// <summary>
    /// Validates the configuration and builds the model (on the CPU, or on <paramref name="device"/>). Weights are
    /// initialised by TorchSharp's defaults (PyTorch's) from the global torch RNG: call <c>torch.manual_seed</c>
    /// first for a reproducible initialisation.
    /// </summary>
    /// <param name="config">Backbone name, input channels, embedding size, head and projection size.</param>
    /// <param name="device">Where to put the parameters; null = CPU.</param>
    /// <exception cref="UserInputException">Unknown name (the message lists the names) or a size below 1.</exception>
    public static ContrastiveModel Create(ModelConfig config, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.InChannels < 1) throw new UserInputException($"input channels = {config.InChannels}: expected >= 1.");
        if (config.EmbeddingSize is < 1) throw new UserInputException($"--embedding {config.EmbeddingSize}: expected a size >= 1.");
        if (config.Head != ProjectionHeadKind.None && config.ProjectionSize < 1)
            throw new UserInputException($"projection size = {config.ProjectionSize}: expected >= 1.");
        Backbone backbone = (config.Name ?? "").Trim().ToLowerInvariant() switch
        {
            "convnet" => new SmallConvNet(config.InChannels),
            "resnet18" => new ResNet18(config.InChannels),
            _ => throw new UserInputException($"--model {config.Name}: unknown model; expected one of {string.Join(", ", Names)}."),
        };
        long p = config.EmbeddingSize ?? backbone.OutputSize;
        var head = new ProjectionHead(config.Head, p, config.ProjectionSize);
        var model = new ContrastiveModel(config, backbone, p, head);
        if (device is not null) model.to(device);
        return model;
    }
}
