using WhichFeatures.Evaluation;
using WhichFeatures.Models;
using TorchSharp;
using WhichFeatures.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>The modules a checkpoint must carry together: the encoder (+ head) and the online probes.</summary>
public sealed class TrainingState : nn.Module
{
    /// <summary>The contrastive model being trained.</summary>
    public readonly ContrastiveModel model;
    /// <summary>The online linear probes on its detached representation.</summary>
    public readonly OnlineLinearProbes probes;

    /// <summary>Wraps both so that one save/load covers them.</summary>
    public TrainingState(ContrastiveModel model, OnlineLinearProbes probes) : base(nameof(TrainingState))
    {
        this.model = model;
        this.probes = probes;
        RegisterComponents();
    }

    private static readonly object GlobalGeneratorLock = new();

    /// <summary>
    /// Builds the freshly initialised model (seeded with the config's seed) and probes for a run on
    /// <paramref name="train"/>, plus the input preparation; used by training and by probing a finished run.
    /// On the CPU the convolutions run the fastest path that a check against float64 accepts
    /// (<see cref="ConvolutionPathCheck"/>): oneDNN's kernels, or ATen's with oneDNN off. Input and weights are NCHW.
    /// </summary>
    /// <param name="cfg">The run's configuration.</param>
    /// <param name="train">The training split (channels, size, statistics, labels).</param>
    /// <param name="device">Where the model lives.</param>
    /// <param name="log">Where the one line goes when a convolution path fails its check.</param>
    public static (TrainingState State, ModelInput Input) Create(TrainConfig cfg, ImageDataset train, Device device, TextWriter? log = null)
    {
        var modelConfig = new ModelConfig
        {
            Name = cfg.Model, InChannels = train.Channels + train.ExtraChannelCount, EmbeddingSize = cfg.Embedding,
            Head = cfg.Head, ProjectionSize = cfg.ProjectionDim,
        };
        ContrastiveModel model;
        OnlineLinearProbes probes;
        ModelInput input;
        // Initialisation draws from libtorch's one global generator: runs trained side by side in one process
        // (sweep workers) take turns here, so each run's initial weights depend on its seed alone. The convolution
        // check draws from it too, so it runs first.
        lock (GlobalGeneratorLock)
        {
            if (device.type == DeviceType.CPU) ConvolutionPathCheck.Choose(modelConfig, train.Height, log);
            input = new ModelInput(train, device);
            manual_seed(cfg.Seed);
            model = ModelFactory.Create(modelConfig, device);
            var labelClasses = train.Labels.Keys.ToDictionary(k => k, k => train.NumClasses(k));
            probes = new OnlineLinearProbes((int)model.RepresentationSize, labelClasses);
        }
        probes.to(device.type, device.index);
        return (new TrainingState(model, probes), input);
    }
}
