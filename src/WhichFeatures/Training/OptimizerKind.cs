namespace WhichFeatures.Training;

/// <summary>The optimiser a run trains with (<c>--optimizer</c>).</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum and weight decay.</summary>
    Sgd,
    /// <summary>Adam with weight decay (momentum ignored).</summary>
    Adam,
}
