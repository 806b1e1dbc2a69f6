using WhichFeatures.Core;
using WhichFeatures.LinearSetting;

namespace WhichFeatures.Experiments.Theory;

/// <summary>
/// How to run a theory experiment: seeds, size, and optional overrides of the model parameters (null = the
/// experiment's own default, which is documented in docs/theory.md and recorded in the result's parameters).
/// </summary>
public sealed record TheoryRunOptions
{
    /// <summary>Number of seeds (≥ 1; claims are decided over all of them, default 3).</summary>
    public int Seeds { get; init; } = 3;
    /// <summary>First seed; seed i is BaseSeed + i.</summary>
    public long BaseSeed { get; init; } = 1;
    /// <summary>Smaller sizes / fewer steps (tests, --quick).</summary>
    public bool Quick { get; init; }
    /// <summary>Training examples n.</summary>
    public int? N { get; init; }
    /// <summary>Test examples.</summary>
    public int? NTest { get; init; }
    /// <summary>Input dimension d.</summary>
    public int? D { get; init; }
    /// <summary>Embedding size p (for sweeps: replaces the sweep with this one value, unless the experiment says otherwise).</summary>
    public int? P { get; init; }
    /// <summary>Class strength a.</summary>
    public double? A { get; init; }
    /// <summary>Subclass strength b.</summary>
    public double? B { get; init; }
    /// <summary>Easy irrelevant feature strength c.</summary>
    public double? C { get; init; }
    /// <summary>Number of easy bits.</summary>
    public int? EasyCount { get; init; }
    /// <summary>Diverse subspace dimension m.</summary>
    public int? M { get; init; }
    /// <summary>Diverse feature norm gamma.</summary>
    public double? Gamma { get; init; }
    /// <summary>Noise level sigma.</summary>
    public double? Sigma { get; init; }
    /// <summary>Learning rate.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Training steps.</summary>
    public int? Steps { get; init; }
    /// <summary>Initialisation standard deviation.</summary>
    public double? InitStd { get; init; }
    /// <summary>Mini-batch size (0 = full batch).</summary>
    public int? BatchSize { get; init; }
    /// <summary>Loss family.</summary>
    public LossFamily? Loss { get; init; }
    /// <summary>InfoNCE temperature.</summary>
    public double? Temperature { get; init; }
    /// <summary>InfoNCE on normalised embeddings.</summary>
    public bool? Normalize { get; init; }
    /// <summary>Joint weight beta (replaces the beta sweep with this value plus the endpoints 0 and 1).</summary>
    public double? Beta { get; init; }

    /// <summary>Throws <see cref="UserInputException"/> for values that are invalid in any experiment.</summary>
    public TheoryRunOptions Validate()
    {
        if (Seeds < 1) throw new UserInputException($"--seeds must be at least 1, got {Seeds}.");
        if (P is < 1) throw new UserInputException($"--p (embedding size) must be at least 1, got {P}.");
        if (Beta is { } b && !(b >= 0 && b <= 1)) throw new UserInputException($"--beta must be in [0, 1], got {b}.");
        if (N is < 2) throw new UserInputException($"--n must be at least 2, got {N}.");
        if (D is < 2) throw new UserInputException($"--d must be at least 2, got {D}.");
        if (Steps is < 1) throw new UserInputException($"--steps must be at least 1, got {Steps}.");
        if (LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw new UserInputException($"--lr must be a positive finite number, got {lr}.");
        if (Temperature is { } t && !(t > 0 && double.IsFinite(t))) throw new UserInputException($"--tau must be a positive finite number, got {t}.");
        if (InitStd is { } s && !(s > 0 && double.IsFinite(s))) throw new UserInputException($"--init-std must be a positive finite number, got {s}.");
        if (BatchSize is < 0) throw new UserInputException($"--batch must be ≥ 0 (0 = full batch), got {BatchSize}.");
        return this;
    }

    /// <summary>
    /// The one place user overrides meet an experiment's data distribution: <paramref name="defaults"/> (the
    /// experiment's own values on top of <see cref="SyntheticDataConfig"/>'s defaults) with --n, --n-test, --d, --a and
    /// --sigma applied, plus the knobs the experiment exposes: --b (<paramref name="subclass"/>), --c and
    /// --easy-count (<paramref name="easy"/>), --m and --gamma (<paramref name="diverse"/>). Validated.
    /// </summary>
    public SyntheticDataConfig Data(SyntheticDataConfig defaults, bool subclass = false, bool easy = false, bool diverse = false)
    {
        var c = defaults with
        {
            N = N ?? defaults.N, NTest = NTest ?? defaults.NTest, D = D ?? defaults.D,
            ClassStrength = A ?? defaults.ClassStrength, NoiseSigma = Sigma ?? defaults.NoiseSigma,
        };
        if (subclass) c = c with { SubclassStrength = B ?? c.SubclassStrength };
        if (easy) c = c with { EasyStrength = C ?? c.EasyStrength, EasyCount = EasyCount ?? c.EasyCount };
        if (diverse) c = c with { DiverseDims = M ?? c.DiverseDims, DiverseNorm = Gamma ?? c.DiverseNorm };
        return c.Validate();
    }

    /// <summary>The seeds to run: BaseSeed, BaseSeed + 1, ...</summary>
    public IReadOnlyList<long> SeedList => Enumerable.Range(0, Seeds).Select(i => BaseSeed + i).ToArray();
}
