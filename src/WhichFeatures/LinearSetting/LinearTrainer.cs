using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.LinearSetting;

/// <summary>Full-batch GD and mini-batch SGD for the linear model f(x) = W x under any of the losses.</summary>
public static class LinearTrainer
{
    /// <summary>
    /// Trains from W0 ~ N(0, initStd²) [p, d]. <paramref name="onLog"/> receives (step, W, training loss) at
    /// step 0, at log-spaced steps and at the last step. Returns the final W (caller disposes).
    /// <paramref name="fixedViews"/> (each [n, d]) are the training views when not drawing fresh ones; when null they are
    /// drawn from <paramref name="generator"/> (after W0).
    /// </summary>
    public static Tensor Train(SyntheticDataset train, TrainingSetup setup, Generator generator,
        Action<int, Tensor, double>? onLog = null, IProgressTask? progress = null, CancellationToken ct = default,
        (Tensor View1, Tensor View2)? fixedViews = null)
    {
        setup.Validate();
        var logSteps = LogSpacedSteps(setup.Steps, setup.LogPoints);
        long n = train.Count;
        int d = train.Config.D;
        var w = randn(new long[] { setup.P, d }, dtype: ScalarType.Float64, generator: generator) * setup.InitStd;  // [p, d]
        var (fixed1, fixed2) = fixedViews is { } fv ? (fv.View1.alias(), fv.View2.alias()) : train.DrawViews(generator);  // [n, d] each
        var fullWeights = setup.Family == LossFamily.Spectral ? SpectralContrastiveLoss.Weights(setup.Kind, n, train.ClassLabels, setup.Beta) : null;
        try
        {
            for (int step = 0; step <= setup.Steps; step++)
            {
                ct.ThrowIfCancellationRequested();
                if (logSteps.Contains(step) && onLog is not null)
                {
                    double loss = Loss(setup, fixed1, fixed2, train.ClassLabels, w, fullWeights);
                    onLog(step, w, loss);
                }
                if (step == setup.Steps) break;
                using var scope = NewDisposeScope();
                Tensor v1, v2, labels;
                Tensor? rows = setup.BatchSize > 0 && setup.BatchSize < n
                    ? randperm(n, generator: generator)[..setup.BatchSize]
                    : null;
                if (setup.FreshViews) (v1, v2) = train.DrawViews(generator, rows);
                else (v1, v2) = rows is null ? (fixed1, fixed2) : (fixed1.index_select(0, rows), fixed2.index_select(0, rows));
                labels = rows is null ? train.ClassLabels : train.ClassLabels.index_select(0, rows);
                var grad = Gradient(setup, v1, v2, labels, w, rows is null ? fullWeights : null);   // [p, d]
                var next = (w - setup.LearningRate * grad).MoveToOuterDisposeScope();
                w.Dispose();
                w = next;
                progress?.Increment();
                if (step % 200 == 199) GC.Collect();
            }
            if (!double.IsFinite(w.abs().max().ToDouble()))
                throw new UserInputException($"training diverged (non-finite weights) with --lr {setup.LearningRate}; use a smaller learning rate.");
            return w;
        }
        finally
        {
            fixed1.Dispose(); fixed2.Dispose(); fullWeights?.Dispose();
        }
    }

    /// <summary>The training loss of W on the given views (spectral: with the given weights or those of the kind).</summary>
    public static double Loss(TrainingSetup setup, Tensor v1, Tensor v2, Tensor labels, Tensor w, Tensor? spectralWeights = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var z1 = v1.matmul(w.t());                                                                  // [N, p]
        var z2 = v2.matmul(w.t());                                                                  // [N, p]
        if (setup.Family == LossFamily.Spectral)
        {
            var a = spectralWeights ?? SpectralContrastiveLoss.Weights(setup.Kind, v1.shape[0], labels, setup.Beta);
            return SpectralContrastiveLoss.Weighted(cat(new[] { z1, z2 }, 0), a).ToDouble();
        }
        return InfoNceLoss.Compute(setup.Kind, z1, z2, labels, setup.Beta, setup.Temperature, setup.Normalize).ToDouble();
    }

    /// <summary>∂L/∂W [p, d] on one batch of views: hand-written for the spectral loss, autograd for InfoNCE.</summary>
    public static Tensor Gradient(TrainingSetup setup, Tensor v1, Tensor v2, Tensor labels, Tensor w, Tensor? spectralWeights = null)
    {
        using var scope = NewDisposeScope();
        if (setup.Family == LossFamily.Spectral)
        {
            var a = spectralWeights ?? SpectralContrastiveLoss.Weights(setup.Kind, v1.shape[0], labels, setup.Beta);
            var rows = cat(new[] { v1, v2 }, 0);                                                   // [2N, d]
            return SpectralContrastiveLoss.GradientW(rows, w, a).MoveToOuterDisposeScope();
        }
        // Autograd only through the small embedding tensors; the chain rule through Z = V Wᵀ is a matmul.
        var z1 = v1.matmul(w.t()).detach().requires_grad_(true);                                   // [N, p]
        var z2 = v2.matmul(w.t()).detach().requires_grad_(true);                                   // [N, p]
        var loss = InfoNceLoss.Compute(setup.Kind, z1, z2, labels, setup.Beta, setup.Temperature, setup.Normalize);
        var grads = autograd.grad(new[] { loss }, new[] { z1, z2 });
        var g = grads[0].t().matmul(v1) + grads[1].t().matmul(v2);                                 // [p, d]
        return g.detach().MoveToOuterDisposeScope();
    }

    /// <summary>Step 0, about <paramref name="points"/> log-spaced steps in [1, steps], and <paramref name="steps"/>.</summary>
    public static SortedSet<int> LogSpacedSteps(int steps, int points)
    {
        var set = new SortedSet<int> { 0, steps };
        for (int i = 0; i < points; i++)
        {
            double t = points == 1 ? 1 : (double)i / (points - 1);
            set.Add((int)Math.Round(Math.Pow(steps, t)));
        }
        return set;
    }
}
