using System.Text.Json.Serialization;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Models;

namespace WhichFeatures.Training;

/// <summary>
/// Everything that defines a training run; saved as config.json in the run folder and inside every checkpoint,
/// so a run can be repeated or resumed exactly. Option names in messages are the CLI's.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Dataset name: cifar10, cifar100, mnist, fashion-mnist, digits-on-backgrounds.</summary>
    public string Dataset { get; init; } = "cifar10";
    /// <summary>Folder with the dataset files.</summary>
    public string DataDir { get; init; } = "data";
    /// <summary>The dataset's built-in superclasses (cifar10: vehicles/animals; mnist: digits 0-4/5-9; class = superclass, subclass = original label); CIFAR-100 always has class = coarse, subclass = fine.</summary>
    public bool Superclasses { get; init; }
    /// <summary>A user's superclass map (JSON: name -> list of class ids); null for none.</summary>
    public string? SuperclassMap { get; init; }
    /// <summary>RandBit bits k appended as constant channels after augmentation (0 = none).</summary>
    public int RandBits { get; init; }
    /// <summary>Loss: UCL (SimCLR), SCL (SupCon on "class") or joint; stored by its <see cref="ContrastiveLossKinds.All"/> name.</summary>
    public ContrastiveLossKind Loss { get; init; } = ContrastiveLossKind.Ucl;
    /// <summary>Joint loss weight of SCL, in [0, 1].</summary>
    public double Beta { get; init; } = 0.5;
    /// <summary>InfoNCE temperature.</summary>
    public double Temperature { get; init; } = 0.5;
    /// <summary>Encoder: a name of <see cref="ModelFactory.Backbones"/> (convnet, convn, resnet18).</summary>
    public string Model { get; init; } = "convnet";
    /// <summary>Embedding (encoder output) size p; null = the backbone's own width.</summary>
    public int? Embedding { get; init; }
    /// <summary>Projection head (none, linear, mlp); stored by its <see cref="ProjectionHeadKinds.All"/> name.</summary>
    public ProjectionHeadKind Head { get; init; } = ProjectionHeadKind.Mlp;
    /// <summary>Projection output size (ignored for head none).</summary>
    public int ProjectionDim { get; init; } = 128;
    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Examples per batch (each gives two views).</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Optimiser (sgd, adam); stored by its <see cref="OptimizerChoices.All"/> name.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 0.3;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Warm-up epochs of the warm-up + cosine schedule.</summary>
    public int WarmupEpochs { get; init; } = 1;
    /// <summary>Augmentation preset (none, crop, weak, simclr, strong, strong-color, strong-gray); stored by its <see cref="AugmentationOptions.Presets"/> name.</summary>
    public AugmentPreset Augment { get; init; } = AugmentPreset.Simclr;
    /// <summary>Training examples to use (0 = all), drawn stratified with the seed.</summary>
    public int TrainSize { get; init; }
    /// <summary>Test examples to use (0 = all), drawn stratified from the <see cref="TestSubset"/> with the seed.</summary>
    public int TestSize { get; init; }
    /// <summary>
    /// Which images the run may score (<see cref="Data.Round3TestSubset"/>): all of the test split (default), round 3's
    /// fresh subset, every other test image, or a round's held-out carve of the training split (<see cref="Data.HeldOutCarve"/>: round 4's or round 5's).
    /// Left out of config.json when all, so runs started before it existed still resume.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Data.TestSubsetKind TestSubset { get; init; }
    /// <summary>
    /// Evaluate on a validation split of this many training examples (carved stratified with a fixed seed, the same
    /// for every run) instead of the test split, which is then never read; 0 = the test split. For choosing settings.
    /// Left out of config.json when 0, so the configuration of a run started before this option existed serialises
    /// to the same text and its checkpoints still resume (--resume compares the text byte for byte).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ValidationSize { get; init; }
    /// <summary>Seed for initialisation, shuffling and augmentation.</summary>
    public int Seed { get; init; }
    /// <summary>Torch CPU threads (0 = libtorch default).</summary>
    public int Threads { get; init; }
    /// <summary>Device: auto, cpu, cuda or cuda:N; stored as the text it was given in (see <see cref="DeviceChoice"/>).</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>Online probe learning rate (Adam on detached features).</summary>
    public double OnlineProbeLearningRate { get; init; } = 1e-3;
    /// <summary>Run a kNN and online-probe evaluation on the test split every this many epochs (and always at the end).</summary>
    public int EvalEvery { get; init; } = 1;
    /// <summary>
    /// Fit fresh offline probes (<see cref="OfflineProbeCurve"/>) on the frozen encoder and projection outputs every
    /// this many epochs and at the last epoch, scored on the evaluation split; 0 = never. Left out of config.json when
    /// 0, so runs started before the option existed still resume.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OfflineProbeEvery { get; init; }

    /// <summary>Throws <see cref="UserInputException"/> naming the first invalid option.</summary>
    public TrainConfig Validate()
    {
        static void Require(bool ok, string message) { if (!ok) throw new UserInputException(message); }
        Require(Epochs >= 1, $"--epochs {Epochs}: expected a positive number of epochs.");
        Require(BatchSize >= 2, $"--batch-size {BatchSize}: expected at least 2 (contrastive losses need negatives).");
        Require(Embedding is null || Embedding >= 1, $"--embedding {Embedding}: expected a positive embedding size.");
        Require(ProjectionDim >= 1, $"--projection-dim {ProjectionDim}: expected a positive size.");
        Require(Beta >= 0 && Beta <= 1, $"--beta {Beta}: expected a value in [0, 1].");
        Require(Temperature > 0 && double.IsFinite(Temperature), $"--temperature {Temperature}: expected a positive number.");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"--lr {LearningRate}: expected a positive learning rate.");
        Require(Momentum >= 0 && Momentum < 1, $"--momentum {Momentum}: expected a value in [0, 1).");
        Require(WeightDecay >= 0, $"--weight-decay {WeightDecay}: expected >= 0.");
        Require(WarmupEpochs >= 0 && WarmupEpochs <= Epochs, $"--warmup-epochs {WarmupEpochs}: expected 0..{Epochs}.");
        Require(RandBits >= 0 && RandBits <= 30, $"--randbits {RandBits}: expected 0..30.");
        Require(TrainSize >= 0, $"--train-size {TrainSize}: expected 0 (all) or a positive count.");
        Require(TestSize >= 0, $"--test-size {TestSize}: expected 0 (all) or a positive count.");
        Require(ValidationSize >= 0, $"--validation-size {ValidationSize}: expected 0 (use the test split) or a positive count.");
        Require(Enum.IsDefined(TestSubset), $"test subset {TestSubset}: expected all, round3, except-round3 or round4.");
        Require(TestSubset == Data.TestSubsetKind.All || ValidationSize == 0, "--validation-size and a test subset: a validation run never reads the test split; give one.");
        Require(Threads >= 0, $"--threads {Threads}: expected 0 (default) or a positive count.");
        Require(EvalEvery >= 1, $"--eval-every {EvalEvery}: expected >= 1.");
        Require(OfflineProbeEvery >= 0, $"--offline-probe-every {OfflineProbeEvery}: expected 0 (off) or a positive number of epochs.");
        Require(OnlineProbeLearningRate > 0, $"--online-probe-lr {OnlineProbeLearningRate}: expected > 0.");
        RequireKnown(ModelFactory.Backbones, Model);
        RequireDefined(ProjectionHeadKinds.All, Head);
        RequireDefined(OptimizerChoices.All, Optimizer);
        RequireDefined(AugmentationOptions.Presets, Augment);
        Require(!(Superclasses && SuperclassMap is not null), "--superclasses and --superclass-map: give one or the other, not both.");
        return this;
    }

    // The stored names must be canonical (config.json is compared byte for byte on --resume).
    private static void RequireKnown<T>(ChoiceSet<T> choices, string name)
    {
        if (!choices.IsKnown(name)) throw choices.Unknown(name);
    }

    // A typed choice read from config.json as a number (the enum converter accepts one) must still be one of the choices.
    private static void RequireDefined<T>(ChoiceSet<T> choices, T value) where T : struct, Enum
    {
        if (!choices.Choices.Any(c => EqualityComparer<T>.Default.Equals(c.Value, value))) throw choices.Unknown(value.ToString());
    }
}
