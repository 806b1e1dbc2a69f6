using WhichFeatures.Core;
using TorchSharp;
using static TorchSharp.torch;
using Parameters = System.Collections.Generic.IEnumerable<TorchSharp.Modules.Parameter>;

namespace WhichFeatures.Training;

/// <summary>The <c>--optimizer</c> choices and how each is built from a <see cref="TrainConfig"/>.</summary>
public static class OptimizerChoices
{
    /// <summary>The definition CLI help, parsing and validation read: sgd, adam (the names config.json stores).</summary>
    public static ChoiceSet<OptimizerKind> All { get; } = new("--optimizer", "optimizer",
        new("sgd", OptimizerKind.Sgd, "with momentum"),
        new("adam", OptimizerKind.Adam, "momentum ignored"));

    /// <summary>The optimiser <paramref name="cfg"/> names, over <paramref name="parameters"/>.</summary>
    public static optim.Optimizer Create(TrainConfig cfg, Parameters parameters) => cfg.Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, cfg.LearningRate, momentum: cfg.Momentum, weight_decay: cfg.WeightDecay),
        OptimizerKind.Adam => optim.Adam(parameters, cfg.LearningRate, weight_decay: cfg.WeightDecay),
        _ => throw All.Unknown(cfg.Optimizer.ToString()),
    };
}
