namespace WhichFeatures.Experiments.Real;

/// <summary>
/// The data and training settings one experiment's runs share at one scale: everything except what the experiment
/// varies (embedding size, augmentation, loss, beta). Chosen on a validation split carved from the training data
/// (docs/real-experiments.md lists each pilot), never on the test split.
/// </summary>
public sealed record RunPreset
{
    /// <summary>Dataset name (<see cref="Data.DatasetRegistry"/>); <c>--dataset</c> replaces it.</summary>
    public required string Dataset { get; init; }
    /// <summary>Training examples per run (0 = all), stratified with the run's seed.</summary>
    public required int TrainSize { get; init; }
    /// <summary>Evaluation examples per run (0 = all of the test split, or of the validation carve).</summary>
    public required int TestSize { get; init; }
    /// <summary>
    /// Which images the runs score when they are not scored on a validation split: the CPU default scores round 9's
    /// held-out carve of the training split (<see cref="Data.HeldOutCarve.Round9"/>; all of it, or <see cref="TestSize"/> of it
    /// when fewer), its <c>--quick</c> smoke run draws <see cref="TestSize"/> from the test images outside round 3's subset
    /// (<see cref="Data.Round3TestSubset"/>); a dataset without such a subset (e.g. <c>--dataset fashion-mnist</c>,
    /// CIFAR-100) is scored on its whole test split, as before.
    /// </summary>
    public Data.TestSubsetKind TestSubset { get; init; }
    /// <summary>Training examples carved out as the validation split when the suite runs with <c>--validation</c>.</summary>
    public required int ValidationSize { get; init; }
    /// <summary>Training epochs.</summary>
    public required int Epochs { get; init; }
    /// <summary>Examples per batch (two views each).</summary>
    public required int BatchSize { get; init; }
    /// <summary>InfoNCE temperature.</summary>
    public required double Temperature { get; init; }
    /// <summary>Augmentation preset (<see cref="Augmentation.AugmentationOptions.Presets"/>) unless the experiment varies it.</summary>
    public required Augmentation.AugmentPreset Augment { get; init; }
    /// <summary>RandBit bits k appended to every image (0 = none); <c>--randbits</c> replaces a non-zero k.</summary>
    public int RandBits { get; init; }
    /// <summary>Train on the dataset's superclasses (class = superclass, subclass = original label).</summary>
    public bool Superclasses { get; init; }
    /// <summary>
    /// Seeds this experiment runs beyond the suite's <c>--seeds</c> (0 = the suite's): for a criterion where one seed's
    /// spread decided an earlier round. Each extra seed continues the suite's list (BaseSeed + seeds, ...).
    /// </summary>
    public int ExtraSeeds { get; init; }
    /// <summary>Size of the output the loss reads (projection head output) unless the experiment varies it.</summary>
    public int ProjectionDim { get; init; } = 128;

    /// <summary>Encoder for this experiment only (null = the schedule's).</summary>
    public string? Model { get; init; }
    /// <summary>Optimiser for this experiment only (null = the schedule's).</summary>
    public Training.OptimizerKind? Optimizer { get; init; }
    /// <summary>Peak learning rate for this experiment only (null = the schedule's).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Warm-up epochs for this experiment only (null = the schedule's).</summary>
    public int? WarmupEpochs { get; init; }

    // As RealRunner.Config scores them.
    private string EvalImages() =>
        Data.Round3TestSubset.ScoresAll(TestSubset, Dataset, TestSize)
            ? $"all {Data.Round3TestSubset.ScoredImages(TestSubset, Dataset)}"
            : TestSize == 0 ? "all" : TestSize.ToString();

    /// <summary>One line for reports.</summary>
    public string Describe() =>
        $"{Dataset}{(Superclasses && !Data.DatasetRegistry.HasOwnSubclasses(Dataset) ? " (superclasses)" : "")}, train {(TrainSize == 0 ? "all" : TrainSize.ToString())} / eval {EvalImages()} images" +
        (TestSubset switch { Data.TestSubsetKind.Round3 => $" (test images from the {Data.Round3TestSubset.Name} subset)", Data.TestSubsetKind.ExceptRound3 => $" (test images outside the {Data.Round3TestSubset.Name} subset)", _ when Data.HeldOutCarve.For(TestSubset) is { } carve => $" (the {carve.Name} carve of the training split, held out)", _ => "" }) + ", " +
        $"{Epochs} epochs, batch {BatchSize}, temperature {Temperature:g3}, augmentation {Augmentation.AugmentationOptions.Presets.NameOf(Augment)}" + (RandBits > 0 ? $", RandBit k = {RandBits}" : "") +
        (Model is null && Optimizer is null && LearningRate is null ? "" : $"; this experiment: {Model ?? "schedule's encoder"}, {(Optimizer is { } opt ? Training.OptimizerChoices.All.NameOf(opt) : "schedule's optimiser")} lr {LearningRate?.ToString("g3") ?? "schedule's"}");
}
