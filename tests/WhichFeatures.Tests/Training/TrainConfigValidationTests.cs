using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Models;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// <see cref="TrainConfig.Validate"/> at each option's edge: the last valid value is accepted and the first invalid
/// one is refused with a message naming the option (as the CLI spells it) and the bad value. Each row changes one
/// option of an otherwise valid config, so a refusal can only come from that option's rule.
/// </summary>
public class TrainConfigValidationTests
{
    private static readonly TrainConfig Valid = new() { Epochs = 4, WarmupEpochs = 1 };

    // option -> (the last valid value, the first invalid value) as config edits.
    private static readonly Dictionary<string, (Func<TrainConfig, TrainConfig> Ok, Func<TrainConfig, TrainConfig> Bad, string Shown)> Edges = new()
    {
        ["--epochs"] = (c => c with { Epochs = 1, WarmupEpochs = 0 }, c => c with { Epochs = 0, WarmupEpochs = 0 }, "0"),
        ["--batch-size"] = (c => c with { BatchSize = 2 }, c => c with { BatchSize = 1 }, "1"),
        ["--embedding"] = (c => c with { Embedding = 1 }, c => c with { Embedding = 0 }, "0"),
        ["--projection-dim"] = (c => c with { ProjectionDim = 1 }, c => c with { ProjectionDim = 0 }, "0"),
        ["--beta"] = (c => c with { Beta = 0 }, c => c with { Beta = -0.01 }, "-0.01"),
        ["--beta "] = (c => c with { Beta = 1 }, c => c with { Beta = 1.01 }, "1.01"),
        ["--temperature"] = (c => c with { Temperature = 1e-9 }, c => c with { Temperature = 0 }, "0"),
        ["--temperature "] = (c => c with { Temperature = 1e9 }, c => c with { Temperature = double.PositiveInfinity }, "Infinity"),
        ["--lr"] = (c => c with { LearningRate = 1e-9 }, c => c with { LearningRate = 0 }, "0"),
        ["--lr "] = (c => c with { LearningRate = 1e9 }, c => c with { LearningRate = double.NaN }, "NaN"),
        ["--momentum"] = (c => c with { Momentum = 0 }, c => c with { Momentum = -0.1 }, "-0.1"),
        ["--momentum "] = (c => c with { Momentum = 0.999 }, c => c with { Momentum = 1 }, "1"),
        ["--weight-decay"] = (c => c with { WeightDecay = 0 }, c => c with { WeightDecay = -1e-6 }, "-1E-06"),
        ["--warmup-epochs"] = (c => c with { WarmupEpochs = 0 }, c => c with { WarmupEpochs = -1 }, "-1"),
        ["--warmup-epochs "] = (c => c with { WarmupEpochs = 4 }, c => c with { WarmupEpochs = 5 }, "5"),
        ["--randbits"] = (c => c with { RandBits = 0 }, c => c with { RandBits = -1 }, "-1"),
        ["--randbits "] = (c => c with { RandBits = 30 }, c => c with { RandBits = 31 }, "31"),
        ["--train-size"] = (c => c with { TrainSize = 0 }, c => c with { TrainSize = -1 }, "-1"),
        ["--test-size"] = (c => c with { TestSize = 0 }, c => c with { TestSize = -1 }, "-1"),
        ["--validation-size"] = (c => c with { ValidationSize = 0 }, c => c with { ValidationSize = -1 }, "-1"),
        ["--threads"] = (c => c with { Threads = 0 }, c => c with { Threads = -1 }, "-1"),
        ["--eval-every"] = (c => c with { EvalEvery = 1 }, c => c with { EvalEvery = 0 }, "0"),
        ["--offline-probe-every"] = (c => c with { OfflineProbeEvery = 0 }, c => c with { OfflineProbeEvery = -1 }, "-1"),
        ["--online-probe-lr"] = (c => c with { OnlineProbeLearningRate = 1e-9 }, c => c with { OnlineProbeLearningRate = 0 }, "0"),
        ["--model"] = (c => c with { Model = "convn" }, c => c with { Model = "vit" }, "vit"),
        ["--head"] = (c => c with { Head = ProjectionHeadKind.None }, c => c with { Head = (ProjectionHeadKind)99 }, "99"),
        ["--optimizer"] = (c => c with { Optimizer = OptimizerKind.Adam }, c => c with { Optimizer = (OptimizerKind)99 }, "99"),
        ["--augment"] = (c => c with { Augment = AugmentPreset.None }, c => c with { Augment = (AugmentPreset)99 }, "99"),
        ["--superclasses"] = (c => c with { SuperclassMap = "map.json" }, c => c with { SuperclassMap = "map.json", Superclasses = true }, "--superclasses"),
    };

    public static TheoryData<string> Options => new(Edges.Keys);

    [Theory]
    [MemberData(nameof(Options))]
    public void TheLastValidValueIsAcceptedAndTheFirstInvalidOneIsRefusedNamingTheOption(string row)
    {
        var (ok, bad, shown) = Edges[row];
        var accepted = ok(Valid);
        Assert.Same(accepted, accepted.Validate());   // Validate returns the config itself
        var error = Assert.Throws<UserInputException>(() => bad(Valid).Validate());
        string option = row.Trim();
        Assert.StartsWith(option, error.Message);
        Assert.Contains(shown, error.Message);
    }

    [Fact]
    public void TheDefaultConfigIsValid() => Assert.Same(Valid, Valid.Validate());
}
