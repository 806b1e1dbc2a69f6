namespace WhichFeatures.Maps;

/// <summary>
/// scikit-learn's t-SNE optimiser (<c>_gradient_descent</c>): gradient descent with momentum and per-coordinate gains
/// (+0.2 where the step changed direction, ×0.8 where it did not, at least 0.01). Two phases: P exaggerated at
/// momentum 0.5 for <see cref="TsneOptions.ExplorationIterations"/> iterations, then plain P at momentum 0.8, each
/// phase with fresh gains and momentum. Every <see cref="TsneOptions.CheckEvery"/> iterations it stops when the
/// divergence has not improved for the allowed number of iterations or the gain-scaled gradient's norm is tiny.
/// </summary>
internal static class TsneDescent
{
    private const double MinGain = 0.01;

    /// <summary>Optimises <paramref name="y"/> in place; returns the final divergence and the iterations run.</summary>
    public static (double Divergence, int Iterations) Run(Affinities p, double[] y, TsneOptions options, double? angle, CancellationToken cancellation)
    {
        double rate = options.LearningRateFor(p.Rows);
        var (_, last) = Phase(p.Scaled(options.EarlyExaggeration), y, angle, rate, 0.5, 0, TsneOptions.ExplorationIterations,
            TsneOptions.ExplorationIterations, cancellation);
        var (kl, end) = Phase(p, y, angle, rate, 0.8, last + 1, options.Iterations, TsneOptions.IterationsWithoutProgress, cancellation);
        return (kl, end + 1);
    }

    private static (double Divergence, int Last) Phase(Affinities p, double[] y, double? angle, double rate, double momentum,
        int first, int end, int patience, CancellationToken cancellation)
    {
        var update = new double[y.Length];
        var gains = Enumerable.Repeat(1.0, y.Length).ToArray();
        var gradient = new double[y.Length];
        double error = double.MaxValue, best = double.MaxValue;
        QuadTree? tree = null;
        int bestIteration = first, i = first;
        for (; i < end; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            bool check = (i + 1) % TsneOptions.CheckEvery == 0;
            error = TsneGradient.Compute(p, y, angle, gradient, check || i == end - 1, ref tree);
            double norm2 = 0;
            for (int c = 0; c < y.Length; c++)
            {
                gains[c] = update[c] * gradient[c] < 0 ? gains[c] + 0.2 : gains[c] * 0.8;
                gains[c] = Math.Max(gains[c], MinGain);
                double g = gradient[c] * gains[c];
                norm2 += g * g;
                update[c] = momentum * update[c] - rate * g;
                y[c] += update[c];
            }
            if (!check) continue;
            if (error < best) (best, bestIteration) = (error, i);
            else if (i - bestIteration > patience) break;
            if (Math.Sqrt(norm2) <= TsneOptions.MinGradientNorm) break;
        }
        return (error, Math.Min(i, end - 1));
    }
}
