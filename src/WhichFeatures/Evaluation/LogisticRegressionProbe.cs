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
/// <remarks>
/// The objective is <c>mean_i CE(z_i W + b, y_i) + WeightDecay / 2 * ||W||^2</c> over the N training rows, with
/// z the standardised features and the bias unpenalised: scikit-learn's multinomial <c>LogisticRegression</c>
/// with <c>C = 1 / (WeightDecay * N)</c>.
/// </remarks>
public sealed class LogisticRegressionProbe
{
    /// <summary>L-BFGS iterations (each may evaluate the loss several times).</summary>
    public int Iterations { get; init; } = 100;
    /// <summary>L2 penalty on the weights (not the bias), times ||W||^2 / 2.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>
    /// Stops a fit within one loss evaluation: once cancelled, the closure hands L-BFGS a zero gradient (so the
    /// native step ends at its next convergence check) and <see cref="Fit"/> then throws
    /// <see cref="OperationCanceledException"/>. An exception cannot be thrown through libtorch's native frames.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CancellationToken Cancellation { get; init; }

    /// <summary>This probe's settings with <paramref name="ct"/> as its <see cref="Cancellation"/>.</summary>
    public LogisticRegressionProbe WithCancellation(CancellationToken ct) => new() { Iterations = Iterations, WeightDecay = WeightDecay, Cancellation = ct };

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
        if (testX.shape[0] != testY.shape[0])
            throw new ArgumentException("features and labels must have the same number of rows");
        int k = classes ?? DefaultClasses(trainY, testY);
        using var fitted = Fit(trainX, trainY, k);
        return (fitted.Accuracy(trainX, trainY), fitted.Accuracy(testX, testY));
    }

    /// <summary>Fits the probe on the training features alone (no test data goes in).</summary>
    /// <param name="trainX">[N, D] features.</param>
    /// <param name="trainY">[N] int64 labels in [0, classes).</param>
    /// <param name="classes">Number of classes K.</param>
    public FittedProbe Fit(Tensor trainX, Tensor trainY, int classes)
    {
        if (Iterations < 1) throw new UserInputException($"probe iterations must be >= 1, got {Iterations}.");
        if (trainX.shape[0] != trainY.shape[0])
            throw new ArgumentException("features and labels must have the same number of rows");
        using var scope = NewDisposeScope();
        using var noGradOutside = enable_grad(true);
        var device = trainX.device;
        var xtr = trainX.detach().to_type(ScalarType.Float64);                       // [N, D]
        var mean = xtr.mean([0], keepdim: true);                                      // [1, D]
        var std = xtr.std(0, keepdim: true).clamp_min(1e-8);                          // [1, D]
        xtr = (xtr - mean) / std;
        var ytr = trainY.to(device).to_type(ScalarType.Int64);

        var w = nn.Parameter(zeros(xtr.shape[1], classes, dtype: ScalarType.Float64, device: device));  // [D, K]
        var b = nn.Parameter(zeros(classes, dtype: ScalarType.Float64, device: device));                // [K]
        using var opt = NativeLbfgs.Create([w, b], lr: 1, maxIter: Iterations, historySize: 20, toleranceGrad: 1e-9, toleranceChange: 1e-12);
        Tensor Closure()
        {
            opt.zero_grad();
            if (Cancellation.IsCancellationRequested) return zeros(1, dtype: ScalarType.Float64);   // no gradient: L-BFGS stops
            var logits = xtr.matmul(w) + b;                                            // [N, K]
            var loss = nn.functional.cross_entropy(logits, ytr) + 0.5 * WeightDecay * w.pow(2).sum();
            loss.backward();
            return loss;
        }
        opt.step(Closure);
        Cancellation.ThrowIfCancellationRequested();
        return new FittedProbe(mean, std, w, b);
    }

    /// <summary>The number of classes when none is given: the largest label over both splits, plus one.</summary>
    public static int DefaultClasses(Tensor trainY, Tensor testY) => (int)Math.Max(trainY.max().ToInt64(), testY.max().ToInt64()) + 1;
}
