using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// A fitted offline linear probe: the training features' per-dimension mean and std, and the multinomial logistic
/// regression weights on the standardised features. A pure function of the training data; it scores every row on
/// its own, standardised with the TRAINING statistics, so nothing about the scored set flows into a prediction.
/// Owns its (float64) tensors.
/// </summary>
public sealed class FittedProbe : IDisposable
{
    /// <summary>Takes ownership of the tensors (all float64, on one device).</summary>
    /// <param name="mean">Training-feature mean, [1, D].</param>
    /// <param name="std">Training-feature std (clamped away from 0), [1, D].</param>
    /// <param name="weight">Weights on the standardised features, [D, K].</param>
    /// <param name="bias">Bias, [K].</param>
    public FittedProbe(Tensor mean, Tensor std, Tensor weight, Tensor bias)
    {
        Mean = mean.detach().DetachFromDisposeScope();
        Std = std.detach().DetachFromDisposeScope();
        Weight = weight.detach().DetachFromDisposeScope();
        Bias = bias.detach().DetachFromDisposeScope();
    }

    /// <summary>Training-feature mean, [1, D].</summary>
    public Tensor Mean { get; }
    /// <summary>Training-feature std, [1, D].</summary>
    public Tensor Std { get; }
    /// <summary>Weights on the standardised features, [D, K].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias, [K].</summary>
    public Tensor Bias { get; }

    /// <summary>Logits [M, K] of features [M, D]: ((x - train mean) / train std) W + b, row by row.</summary>
    public Tensor Logits(Tensor features)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var x = features.detach().to_type(ScalarType.Float64).to(Mean.device);          // [M, D]
        var z = (x - Mean) / Std;                                                        // [M, D], training statistics only
        return (z.matmul(Weight) + Bias).MoveToOuterDisposeScope();                      // [M, K]
    }

    /// <summary>Predicted class of every row, [M] int64.</summary>
    public Tensor Predict(Tensor features)
    {
        using var scope = NewDisposeScope();
        return Logits(features).argmax(1).MoveToOuterDisposeScope();                    // [M]
    }

    /// <summary>Accuracy: the fraction of rows whose predicted class equals the label (NaN for no rows).</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        if (features.shape[0] == 0) return double.NaN;
        using var scope = NewDisposeScope();
        var pred = Predict(features);                                                    // [M]
        return pred.eq(labels.to(pred.device).to_type(ScalarType.Int64)).to_type(ScalarType.Float64).mean().ToDouble();
    }

    /// <inheritdoc />
    public void Dispose() { Mean.Dispose(); Std.Dispose(); Weight.Dispose(); Bias.Dispose(); }
}
