using WhichFeatures.Core;

namespace WhichFeatures.LinearSetting;

/// <summary>
/// The linear-model data distribution of docs/theory.md §1. Every feature direction is a standard basis vector
/// (the first coordinates, in the order class, subclass, easy, diverse, then noise), which is an orthonormal
/// basis without loss of generality for a linear model with an isotropic noise prior.
/// </summary>
/// <remarks>
/// Feature values per example: class a*code(y), subclass b*code(s) (the subclass direction is shared across
/// classes, like "fluffy"), easy irrelevant c*r_j with r_j = ±1 independent of the class, diverse irrelevant
/// a uniformly random vector of norm gamma in an m-dimensional subspace (fresh per example), and N(0, sigma²/d)
/// noise on every remaining coordinate. code(.) of a label with 2 values is ±1 on one direction; with L &gt; 2
/// values it is one-hot on L directions. Classes are always exactly balanced (round robin); subclasses are
/// exactly balanced inside each class when <see cref="BalanceSubclassesExactly"/> is set, uniformly random otherwise.
/// </remarks>
public sealed record SyntheticDataConfig
{
    /// <summary>Number of classes K (≥ 2).</summary>
    public int Classes { get; init; } = 2;
    /// <summary>Subclasses per class S (≥ 1; 1 means no subclass feature).</summary>
    public int SubclassesPerClass { get; init; } = 2;
    /// <summary>Training examples n.</summary>
    public int N { get; init; } = 100;
    /// <summary>Fresh test examples (half fit the probes, half score them).</summary>
    public int NTest { get; init; } = 1000;
    /// <summary>Input dimension d.</summary>
    public int D { get; init; } = 2000;
    /// <summary>Class feature strength a.</summary>
    public double ClassStrength { get; init; } = 1.0;
    /// <summary>Subclass feature strength b (0 = absent).</summary>
    public double SubclassStrength { get; init; } = 0.7;
    /// <summary>Easy irrelevant feature strength c (0 = absent).</summary>
    public double EasyStrength { get; init; }
    /// <summary>How many independent easy irrelevant bits (each its own direction and label) when c &gt; 0.</summary>
    public int EasyCount { get; init; } = 1;
    /// <summary>Dimension m of the diverse irrelevant subspace (0 = absent).</summary>
    public int DiverseDims { get; init; }
    /// <summary>Norm gamma of each example's diverse irrelevant vector.</summary>
    public double DiverseNorm { get; init; }
    /// <summary>Noise level sigma: N(0, sigma²/d) on each remaining coordinate.</summary>
    public double NoiseSigma { get; init; } = 1.0;
    /// <summary>Exactly balanced subclasses inside each class (needs n divisible by K*S).</summary>
    public bool BalanceSubclassesExactly { get; init; }
    /// <summary>What the augmentation keeps and redraws.</summary>
    public AugmentationModel Augmentation { get; init; } = AugmentationModel.Imperfect;

    /// <summary>Directions used by a label with <paramref name="values"/> values (1 for binary labels).</summary>
    internal static int CodeDims(int values) => values == 2 ? 1 : values;

    /// <summary>The coordinate layout implied by this config.</summary>
    public FeatureLayout Layout => FeatureLayout.Of(this);

    /// <summary>Throws <see cref="UserInputException"/> naming the first invalid parameter.</summary>
    public SyntheticDataConfig Validate()
    {
        if (Classes < 2) throw new UserInputException($"--classes must be at least 2, got {Classes}.");
        if (SubclassesPerClass < 1) throw new UserInputException($"--subclasses must be at least 1, got {SubclassesPerClass}.");
        if (N < 2) throw new UserInputException($"--n must be at least 2, got {N}.");
        if (N < Classes) throw new UserInputException($"--n ({N}) must be at least the number of classes ({Classes}).");
        if (NTest < 4) throw new UserInputException($"--n-test must be at least 4, got {NTest}.");
        if (!(ClassStrength > 0) || double.IsInfinity(ClassStrength)) throw new UserInputException($"--a (class strength) must be a positive finite number, got {ClassStrength}.");
        if (!(SubclassStrength >= 0) || double.IsInfinity(SubclassStrength)) throw new UserInputException($"--b (subclass strength) must be a finite number ≥ 0, got {SubclassStrength}.");
        if (!(EasyStrength >= 0) || double.IsInfinity(EasyStrength)) throw new UserInputException($"--c (easy feature strength) must be a finite number ≥ 0, got {EasyStrength}.");
        if (EasyCount < 1) throw new UserInputException($"--easy-count must be at least 1, got {EasyCount}.");
        if (DiverseDims < 0) throw new UserInputException($"--m (diverse dims) must be ≥ 0, got {DiverseDims}.");
        if (!(DiverseNorm >= 0) || double.IsInfinity(DiverseNorm)) throw new UserInputException($"--gamma (diverse norm) must be a finite number ≥ 0, got {DiverseNorm}.");
        if (!(NoiseSigma >= 0) || double.IsInfinity(NoiseSigma)) throw new UserInputException($"--sigma must be a finite number ≥ 0, got {NoiseSigma}.");
        if (BalanceSubclassesExactly && N % (Classes * SubclassesPerClass) != 0)
            throw new UserInputException($"--n ({N}) must be divisible by classes x subclasses ({Classes * SubclassesPerClass}) to balance subclasses exactly.");
        var layout = FeatureLayout.Of(this);
        if (D <= layout.NoiseStart)
            throw new UserInputException($"--d ({D}) must exceed the {layout.NoiseStart} feature coordinates (class, subclass, easy, diverse) so that noise coordinates remain.");
        return this;
    }
}
