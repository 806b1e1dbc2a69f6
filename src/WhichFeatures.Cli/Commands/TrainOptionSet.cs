using System.CommandLine;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary>The options of <c>train</c>, with <see cref="TrainConfig"/>'s defaults, and the configuration they give.</summary>
internal sealed class TrainOptionSet
{
    private static readonly TrainConfig Defaults = new();

    public Option<string> Dataset { get; } = new("--dataset") { Description = "cifar10, cifar100, mnist, fashion-mnist or digits-on-backgrounds.", DefaultValueFactory = _ => Defaults.Dataset };
    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Folder with the dataset files (required, except with --resume: then from the run's config.json)." };
    public Option<bool> Superclasses { get; } = new("--superclasses") { Description = "Built-in superclasses (cifar10: vehicles/animals; mnist: digits 0-4/5-9): class = superclass, the original labels become 'subclass' (CIFAR-100 always has class = 20 coarse, subclass = 100 fine)." };
    public Option<string?> SuperclassMap { get; } = new("--superclass-map") { Description = "JSON file: superclass name -> list of class ids." };
    public Option<int> RandBits { get; } = new("--randbits") { Description = "Append k RandBit channels (an easy irrelevant feature) after augmentation.", DefaultValueFactory = _ => Defaults.RandBits };
    public Option<string> Loss { get; } = new("--loss") { Description = ContrastiveLossKinds.All.Help, DefaultValueFactory = _ => ContrastiveLossKinds.All.NameOf(Defaults.Loss) };
    public Option<double> Beta { get; } = new("--beta") { Description = "Joint loss weight of SCL, in [0, 1].", DefaultValueFactory = _ => Defaults.Beta };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "InfoNCE temperature.", DefaultValueFactory = _ => Defaults.Temperature };
    public Option<string> Model { get; } = new("--model") { Description = ModelFactory.Backbones.Help, DefaultValueFactory = _ => Defaults.Model };
    public Option<int?> Embedding { get; } = new("--embedding") { Description = "Embedding (encoder output) size p; default: the backbone width." };
    public Option<string> Head { get; } = new("--head") { Description = "Projection head: " + ProjectionHeadKinds.All.Help, DefaultValueFactory = _ => ProjectionHeadKinds.All.NameOf(Defaults.Head) };
    public Option<int> ProjectionDim { get; } = new("--projection-dim") { Description = "Projection head output size.", DefaultValueFactory = _ => Defaults.ProjectionDim };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Images per batch (two views each).", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = OptimizerChoices.All.Help, DefaultValueFactory = _ => OptimizerChoices.All.NameOf(Defaults.Optimizer) };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Peak learning rate (warm-up then cosine).", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => Defaults.Momentum };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => Defaults.WeightDecay };
    public Option<int> WarmupEpochs { get; } = new("--warmup-epochs") { Description = "Warm-up epochs.", DefaultValueFactory = _ => Defaults.WarmupEpochs };
    public Option<string> Augment { get; } = new("--augment") { Description = "Augmentation preset: " + AugmentationOptions.Presets.Help, DefaultValueFactory = _ => AugmentationOptions.Presets.NameOf(Defaults.Augment) };
    public Option<int> TrainSize { get; } = new("--train-size") { Description = "Training images to use (0 = all; stratified, seeded).", DefaultValueFactory = _ => 0 };
    public Option<int> TestSize { get; } = new("--test-size") { Description = "Test images to use (0 = all).", DefaultValueFactory = _ => 0 };
    public Option<int> ValidationSize { get; } = new("--validation-size") { Description = "Evaluate on this many training images carved out as a validation split (fixed draw) instead of the test split; for choosing settings.", DefaultValueFactory = _ => 0 };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for init, shuffling and augmentation.", DefaultValueFactory = _ => 0 };
    public Option<int> Threads { get; } = new("--threads") { Description = "Torch CPU threads (0 = default).", DefaultValueFactory = _ => 0 };
    public Option<string> Device { get; } = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => DeviceKinds.DefaultName };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Evaluate probes and kNN on the test split every N epochs.", DefaultValueFactory = _ => 1 };
    public Option<int> OfflineProbeEvery { get; } = new("--offline-probe-every") { Description = "Every N epochs and at the last, fit fresh offline probes on the frozen encoder and projection outputs (metrics.csv offline_test_* columns); 0 = off.", DefaultValueFactory = _ => Defaults.OfflineProbeEvery };
    public Option<string?> OutDir { get; } = new("--out") { Description = "Run folder (default: runs/train-<time>)." };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --out from its last good checkpoint; options left out come from its config.json, options given must match it." };
    public Option<bool> Force { get; } = new("--force") { Description = "Write into a non-empty --out folder (starts a new run)." };

    /// <summary>Adds the options to <paramref name="cmd"/> in the order <c>--help</c> lists them.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[]
                 {
                     Dataset, DataDir, Superclasses, SuperclassMap, RandBits, Loss, Beta, Temperature, Model, Embedding, Head, ProjectionDim,
                     Epochs, BatchSize, Optimizer, LearningRate, Momentum, WeightDecay, WarmupEpochs, Augment, TrainSize, TestSize, ValidationSize, Seed, Threads, Device, EvalEvery, OfflineProbeEvery, OutDir, Resume, Force,
                 })
            cmd.Add(o);
    }

    /// <summary>The configuration the options give (names checked against their <c>ChoiceSet</c>s; not yet validated or merged with a resumed run's).</summary>
    public TrainConfig Config(ParseResult parse) => new()
    {
        Dataset = parse.GetValue(Dataset)!.Trim().ToLowerInvariant(), DataDir = parse.GetValue(DataDir) ?? "",
        Superclasses = parse.GetValue(Superclasses), SuperclassMap = parse.GetValue(SuperclassMap), RandBits = parse.GetValue(RandBits),
        Loss = ContrastiveLossKinds.All.Parse(parse.GetValue(Loss)),
        Beta = parse.GetValue(Beta), Temperature = parse.GetValue(Temperature), Model = ModelFactory.Backbones.Find(parse.GetValue(Model)).Name,
        Embedding = parse.GetValue(Embedding), Head = ProjectionHeadKinds.All.Parse(parse.GetValue(Head)), ProjectionDim = parse.GetValue(ProjectionDim),
        Epochs = parse.GetValue(Epochs), BatchSize = parse.GetValue(BatchSize), Optimizer = OptimizerChoices.All.Parse(parse.GetValue(Optimizer)),
        LearningRate = parse.GetValue(LearningRate), Momentum = parse.GetValue(Momentum), WeightDecay = parse.GetValue(WeightDecay), WarmupEpochs = parse.GetValue(WarmupEpochs),
        Augment = AugmentationOptions.Presets.Parse(parse.GetValue(Augment)), TrainSize = parse.GetValue(TrainSize), TestSize = parse.GetValue(TestSize), ValidationSize = parse.GetValue(ValidationSize),
        Seed = parse.GetValue(Seed), Threads = parse.GetValue(Threads), Device = DeviceChoice.Parse(parse.GetValue(Device), Device.Name), EvalEvery = parse.GetValue(EvalEvery),
        OfflineProbeEvery = parse.GetValue(OfflineProbeEvery),
    };
}
