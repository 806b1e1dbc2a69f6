using TorchSharp;
using WhichFeatures.Core;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// Offline linear probe on frozen features: multinomial logistic regression on standardised features
/// (mean and std from the training features only), full-batch L-BFGS with a small L2 penalty.
/// Deterministic for fixed inputs; reports accuracy on the given test features (the last iterate, never a
/// test-selected one).
/// </summary>
public sealed class LogisticRegressionProbe
{
    /// <summary>L-BFGS iterations (each may evaluate the loss several times).</summary>
    public int Iterations { get; init; } = 100;
    /// <summary>L2 penalty on the weights (not the bias), times ||W||^2 / 2.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>The protocol in one sentence, for reports.</summary>
    public string Protocol => $"linear probe: multinomial logistic regression on standardised frozen features, full-batch L-BFGS {Iterations} iterations, L2 {WeightDecay:g3}, last iterate";

    /// <summary>Fits on (trainX, trainY) and returns (train accuracy, test accuracy).</summary>
    /// <param name="trainX">[N, D] features.</param>
    /// <param name="trainY">[N] int64 labels in [0, classes).</param>
    /// <param name="testX">[M, D] features.</param>
    /// <param name="testY">[M] labels.</param>
    /// <param name="classes">Number of classes (default: max label + 1 over both splits).</param>
    public (double TrainAccuracy, double TestAccuracy) FitAndScore(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, int? classes = null)
    {
        if (Iterations < 1) throw new UserInputException($"probe iterations must be >= 1, got {Iterations}.");
        if (trainX.shape[0] != trainY.shape[0] || testX.shape[0] != testY.shape[0])
            throw new ArgumentException("features and labels must have the same number of rows");
        using var scope = NewDisposeScope();
        using var noGradOutside = enable_grad(true);
        var device = trainX.device;
        int k = classes ?? DefaultClasses(trainY, testY);
        var xtr = trainX.detach().to_type(ScalarType.Float64);                       // [N, D]
        var xte = testX.detach().to_type(ScalarType.Float64).to(device);              // [M, D]
        var mean = xtr.mean([0], keepdim: true);                                      // [1, D]
        var std = xtr.std(0, keepdim: true).clamp_min(1e-8);                          // [1, D]
        xtr = (xtr - mean) / std;
        xte = (xte - mean) / std;
        var ytr = trainY.to(device).to_type(ScalarType.Int64);
        var yte = testY.to(device).to_type(ScalarType.Int64);

        var w = nn.Parameter(zeros(xtr.shape[1], k, dtype: ScalarType.Float64, device: device));        // [D, K]
        var b = nn.Parameter(zeros(k, dtype: ScalarType.Float64, device: device));                     // [K]
        var opt = optim.LBFGS([w, b], lr: 1, max_iter: Iterations, history_size: 20, tolerange_grad: 1e-9, tolerance_change: 1e-12);
        Tensor Closure()
        {
            opt.zero_grad();
            var logits = xtr.matmul(w) + b;                                            // [N, K]
            var loss = nn.functional.cross_entropy(logits, ytr) + 0.5 * WeightDecay * w.pow(2).sum();
            loss.backward();
            return loss;
        }
        opt.step(Closure);
        using var _ = no_grad();
        double Acc(Tensor x, Tensor y) => (x.matmul(w) + b).argmax(1).eq(y).to_type(ScalarType.Float64).mean().ToDouble();
        return (Acc(xtr, ytr), Acc(xte, yte));
    }

    /// <summary>The number of classes when none is given: the largest label over both splits, plus one.</summary>
    public static int DefaultClasses(Tensor trainY, Tensor testY) => (int)Math.Max(trainY.max().ToInt64(), testY.max().ToInt64()) + 1;
}
