namespace WhichFeatures.Maps;

/// <summary>
/// Settings of a t-SNE map, with scikit-learn 1.2's <c>TSNE</c> defaults: perplexity 30, early exaggeration 12,
/// learning rate "auto" (max(N / 12 / 4, 50)), 1,000 iterations of which the first 250 are exaggerated,
/// 300 iterations without progress, minimum gradient norm 1e-7, Barnes-Hut angle 0.5, PCA initialisation.
/// </summary>
public sealed record TsneOptions
{
    /// <summary>Validated settings; every argument defaults to scikit-learn's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting outside its range (perplexity ≤ 0, fewer than 251 iterations, angle outside [0, 1]).</exception>
    public TsneOptions(double perplexity = 30, int iterations = 1000, int seed = 0, TsneMethod method = TsneMethod.Auto,
        double angle = 0.5, double earlyExaggeration = 12, double? learningRate = null, TsneInit init = TsneInit.Pca)
    {
        if (!(perplexity > 0)) throw new ArgumentOutOfRangeException(nameof(perplexity), perplexity, "the perplexity must be positive");
        if (iterations <= ExplorationIterations) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"t-SNE needs more than {ExplorationIterations} iterations (the exaggerated phase)");
        if (!(angle >= 0 && angle <= 1)) throw new ArgumentOutOfRangeException(nameof(angle), angle, "the Barnes-Hut angle must lie in [0, 1]");
        if (!(earlyExaggeration >= 1)) throw new ArgumentOutOfRangeException(nameof(earlyExaggeration), earlyExaggeration, "the early exaggeration must be at least 1");
        if (learningRate is double lr && !(lr > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), lr, "the learning rate must be positive");
        (Perplexity, Iterations, Seed, Method, Angle, EarlyExaggeration, LearningRate, Init) = (perplexity, iterations, seed, method, angle, earlyExaggeration, learningRate, init);
    }

    /// <summary>The exaggerated first phase: 250 iterations at momentum 0.5 (scikit-learn's <c>_EXPLORATION_N_ITER</c>).</summary>
    public const int ExplorationIterations = 250;

    /// <summary>Progress is checked every 50 iterations (scikit-learn's <c>_N_ITER_CHECK</c>).</summary>
    public const int CheckEvery = 50;

    /// <summary>Stop when the KL divergence has not improved for this many iterations (after the exaggerated phase).</summary>
    public const int IterationsWithoutProgress = 300;

    /// <summary>Stop when the gradient's norm falls to this value.</summary>
    public const double MinGradientNorm = 1e-7;

    /// <summary>Up to this many rows, <see cref="TsneMethod.Auto"/> uses the exact gradient.</summary>
    public const int ExactUpTo = 500;

    /// <summary>The effective number of neighbours each point's Gaussian spans.</summary>
    public double Perplexity { get; }

    /// <summary>Total gradient-descent iterations, the exaggerated phase included.</summary>
    public int Iterations { get; }

    /// <summary>Seeds the <see cref="TsneInit.Random"/> start; everything else is deterministic.</summary>
    public int Seed { get; }

    /// <summary>Exact O(N²) gradient, Barnes-Hut O(N log N), or exact up to <see cref="ExactUpTo"/> rows.</summary>
    public TsneMethod Method { get; }

    /// <summary>Barnes-Hut: a cell is summarised by its centre of mass when its width / distance is below this.</summary>
    public double Angle { get; }

    /// <summary>The factor P is multiplied by during the first <see cref="ExplorationIterations"/> iterations.</summary>
    public double EarlyExaggeration { get; }

    /// <summary>Where the map starts.</summary>
    public TsneInit Init { get; }

    /// <summary>The step size; null is scikit-learn's "auto".</summary>
    public double? LearningRate { get; }

    /// <summary>The same settings with another perplexity.</summary>
    public TsneOptions WithPerplexity(double perplexity) => new(perplexity, Iterations, Seed, Method, Angle, EarlyExaggeration, LearningRate, Init);

    /// <summary>The step size used for <paramref name="rows"/> points: the set value or max(N / exaggeration / 4, 50).</summary>
    public double LearningRateFor(int rows) => LearningRate ?? Math.Max(rows / EarlyExaggeration / 4, 50);

    /// <summary>Whether the exact gradient is used for <paramref name="rows"/> points.</summary>
    public bool UsesExactFor(int rows) => Method == TsneMethod.Exact || (Method == TsneMethod.Auto && rows <= ExactUpTo);
}
