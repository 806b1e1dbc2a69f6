namespace WhichFeatures.Experiments.Real;

/// <summary>
/// Everything the real-data suite's runs use at one scale: the encoder and optimiser every run shares, one
/// <see cref="RunPreset"/> per experiment, and what each experiment varies. Fixed before the final run, chosen on a
/// validation split (never tuned on the test split).
/// </summary>
public sealed record RealSchedule
{
    /// <summary>Encoder (<see cref="Models.ModelFactory.Backbones"/>): convn at CPU scale, resnet18 at paper scale.</summary>
    public required string Model { get; init; }
    /// <summary>Optimiser (<see cref="Training.OptimizerChoices.All"/>).</summary>
    public required Training.OptimizerKind Optimizer { get; init; }
    /// <summary>Peak learning rate.</summary>
    public required double LearningRate { get; init; }
    /// <summary>Warm-up epochs of the warm-up + cosine schedule (capped at each run's epochs).</summary>
    public required int WarmupEpochs { get; init; }
    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>SGD momentum (unused by Adam).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Iterations of the offline L-BFGS linear probe.</summary>
    public int ProbeIterations { get; init; } = 100;

    /// <summary>Feature suppression vs embedding size on MNIST-RandBit.</summary>
    public required RunPreset MnistRandBit { get; init; }
    /// <summary>Feature suppression vs embedding size on CIFAR10-RandBit.</summary>
    public required RunPreset Cifar10RandBit { get; init; }
    /// <summary>Feature suppression vs augmentation: digits on backgrounds.</summary>
    public required RunPreset Digits { get; init; }
    /// <summary>Class collapse over training (probed every epoch).</summary>
    public required RunPreset Curve { get; init; }
    /// <summary>SCL / UCL / joint on a class / subclass hierarchy.</summary>
    public required RunPreset Joint { get; init; }

    /// <summary>Embedding sizes (the dimension of the output the loss reads) of the MNIST-RandBit sweep.</summary>
    public required int[] EmbeddingSizes { get; init; }
    /// <summary>Embedding sizes of the CIFAR10-RandBit sweep (fewer: its runs cost more).</summary>
    public required int[] Cifar10EmbeddingSizes { get; init; }
    /// <summary>Embedding sizes of the MNIST-RandBit sweep also trained without RandBit (k = 0 reference).</summary>
    public required int[] ReferenceSizes { get; init; }
    /// <summary>Embedding sizes of the CIFAR10-RandBit sweep also trained without RandBit.</summary>
    public required int[] Cifar10ReferenceSizes { get; init; }
    /// <summary>
    /// CIFAR10-RandBit's learning-bar reference: a run without RandBit at its own settings (encoder, images, epochs),
    /// reported in the learning-bar table beside the sweep's references; no criterion reads it. Null: the sweep's
    /// references carry the bars alone.
    /// </summary>
    public RunPreset? Cifar10BarReference { get; init; }
    /// <summary>The digits experiment's strongest augmentation, compared with weak beside simclr (REAL-FS-AUG's "strong").</summary>
    public Augmentation.AugmentPreset StrongAugmentation { get; init; } = Augmentation.AugmentPreset.Strong;
    /// <summary>Augmentation presets of the digits experiment, weakest first: weak, simclr, <see cref="StrongAugmentation"/>.</summary>
    public Augmentation.AugmentPreset[] Augmentations => [Augmentation.AugmentPreset.Weak, Augmentation.AugmentPreset.Simclr, StrongAugmentation];
    /// <summary>Losses of the class-collapse curves: SCL (the claim's) and the others shown beside it.</summary>
    public Losses.ContrastiveLossKind[] CurveLosses { get; init; } = [Losses.ContrastiveLossKind.Scl, Losses.ContrastiveLossKind.Ucl, Losses.ContrastiveLossKind.Joint];
    /// <summary>Joint-loss weights of the beta sweep (0 = UCL, 1 = SCL are the plain losses).</summary>
    public required double[] Betas { get; init; }
    /// <summary>The beta of "joint" in the SCL / UCL / joint comparisons.</summary>
    public double JointBeta { get; init; } = 0.5;
    /// <summary>
    /// The layer whose probe the joint-loss criterion reads (<see cref="Training.OfflineProbeCurve.EncoderLayer"/> or
    /// <see cref="Training.OfflineProbeCurve.ProjectionLayer"/>); both are reported.
    /// </summary>
    public string JointLayer { get; init; } = Training.OfflineProbeCurve.EncoderLayer;

    /// <summary>Every preset with its experiment's name.</summary>
    public IEnumerable<(string Name, RunPreset Preset)> Presets()
    {
        yield return ("mnist-randbit", MnistRandBit);
        yield return ("cifar10-randbit", Cifar10RandBit);
        if (Cifar10BarReference is { } bar) yield return ("cifar10-bar-reference", bar);
        yield return ("digits", Digits);
        yield return ("curve", Curve);
        yield return ("joint", Joint);
    }

    /// <summary>This schedule with <paramref name="edit"/> applied to every preset.</summary>
    public RealSchedule WithEveryPreset(Func<RunPreset, RunPreset> edit) => this with
    {
        MnistRandBit = edit(MnistRandBit), Cifar10RandBit = edit(Cifar10RandBit), Cifar10BarReference = Cifar10BarReference is null ? null : edit(Cifar10BarReference),
        Digits = edit(Digits), Curve = edit(Curve), Joint = edit(Joint),
    };

    /// <summary>One line for reports: what every run shares.</summary>
    public string Describe() =>
        $"{Model}, {Training.OptimizerChoices.All.NameOf(Optimizer)} lr {LearningRate:g3}{(Optimizer == Training.OptimizerKind.Sgd ? $" momentum {Momentum:g2}" : "")} wd {WeightDecay:g2}, warm-up {WarmupEpochs} + cosine, MLP head";
}
