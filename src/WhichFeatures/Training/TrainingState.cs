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
    /// On the CPU the model's input is laid out channels-last (NHWC): libtorch's convolution then runs its NHWC oneDNN
    /// kernels (faster; measured in docs/benchmarks.md). The weights
    /// stay NCHW: TorchSharp 0.107 cannot save non-contiguous tensors, and NCHW checkpoints load anywhere.
    /// </summary>
    public static (TrainingState State, ModelInput Input) Create(TrainConfig cfg, ImageDataset train, Device device)
    {
        bool channelsLast = device.type == DeviceType.CPU;
        var input = new ModelInput(train, device, channelsLast);
        ContrastiveModel model;
        OnlineLinearProbes probes;
        // Initialisation draws from libtorch's one global generator: runs trained side by side in one process
        // (sweep workers) take turns here, so each run's initial weights depend on its seed alone.
        lock (GlobalGeneratorLock)
        {
            manual_seed(cfg.Seed);
            model = ModelFactory.Create(new ModelConfig
            {
                Name = cfg.Model, InChannels = input.InChannels, EmbeddingSize = cfg.Embedding,
                Head = ProjectionHeadKinds.Parse(cfg.Head), ProjectionSize = cfg.ProjectionDim,
            }, device);
            var labelClasses = train.Labels.Keys.ToDictionary(k => k, k => train.NumClasses(k));
            probes = new OnlineLinearProbes((int)model.RepresentationSize, labelClasses);
        }
        probes.to(device.type, device.index);
        return (new TrainingState(model, probes), input);
    }
}
