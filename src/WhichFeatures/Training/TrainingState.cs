using WhichFeatures.Evaluation;
using WhichFeatures.Models;
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
}
