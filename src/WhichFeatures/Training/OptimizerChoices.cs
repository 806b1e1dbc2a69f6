using WhichFeatures.Core;
using TorchSharp;
using static TorchSharp.torch;
using Parameters = System.Collections.Generic.IEnumerable<TorchSharp.Modules.Parameter>;

namespace WhichFeatures.Training;

/// <summary>The <c>--optimizer</c> choices and how each is built from a <see cref="TrainConfig"/>.</summary>
public static class OptimizerChoices
{
    /// <summary>The definition CLI help, validation and <see cref="Create"/> read.</summary>
    public static ChoiceSet<Func<TrainConfig, Parameters, optim.Optimizer>> All { get; } = new("--optimizer", "optimizer",
        new("sgd", (c, p) => optim.SGD(p, c.LearningRate, momentum: c.Momentum, weight_decay: c.WeightDecay), "with momentum"),
        new("adam", (c, p) => optim.Adam(p, c.LearningRate, weight_decay: c.WeightDecay), "momentum ignored"));

    /// <summary>The optimiser <paramref name="cfg"/> names, over <paramref name="parameters"/>.</summary>
    public static optim.Optimizer Create(TrainConfig cfg, Parameters parameters) => All.Parse(cfg.Optimizer)(cfg, parameters);
}
