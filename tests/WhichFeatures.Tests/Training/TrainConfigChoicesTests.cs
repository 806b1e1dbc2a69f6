using System.Text.Json;
using WhichFeatures.Augmentation;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Training;

/// <summary>The typed choices of a training run and the config.json they are stored in.</summary>
public class TrainConfigChoicesTests
{
    // A config.json written by a run folder before the choices became typed definitions (the real suite's quick
    // schedule, joint loss on superclasses). Old run folders must still read, validate and resume: --resume compares
    // the re-serialised configuration with the checkpoint's byte for byte.
    private const string OldConfigJson = """
        {
          "dataset": "cifar10",
          "dataDir": "../shared/data",
          "superclasses": true,
          "randBits": 0,
          "loss": "joint",
          "beta": 0.5,
          "temperature": 0.5,
          "model": "convnet",
          "head": "mlp",
          "projectionDim": 128,
          "epochs": 3,
          "batchSize": 128,
          "optimizer": "sgd",
          "learningRate": 0.15,
          "momentum": 0.9,
          "weightDecay": 0.0001,
          "warmupEpochs": 1,
          "augment": "simclr",
          "trainSize": 768,
          "testSize": 400,
          "seed": 1,
          "threads": 0,
          "device": "auto",
          "onlineProbeLearningRate": 0.001,
          "evalEvery": 1
        }
        """;

    [Fact]
    public void An_old_config_json_reads_validates_and_serialises_to_the_same_text()
    {
        var cfg = JsonSerializer.Deserialize<TrainConfig>(OldConfigJson, RunJson.Options)!.Validate();
        Assert.Equal(ContrastiveLossKind.Joint, cfg.Loss);
        Assert.Equal(OldConfigJson.ReplaceLineEndings("\n"), RunJson.Serialize(cfg).ReplaceLineEndings("\n"));
    }

    // Training/Fixtures/config-before-typed-choices.json: written by `train` at c3c6894, when head, optimizer and
    // augment were strings (Fixtures/README.md has the command). Every field is set away from its default.
    [Fact]
    public void A_config_json_written_before_the_typed_choices_reads_every_field_and_writes_back_the_same_text()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "Fixtures", "config-before-typed-choices.json"));
        var cfg = JsonSerializer.Deserialize<TrainConfig>(text, RunJson.Options)!.Validate();
        var expected = new TrainConfig
        {
            Dataset = "mnist", DataDir = "/work/shared/data", Superclasses = true, SuperclassMap = null, RandBits = 2,
            Loss = ContrastiveLossKind.Joint, Beta = 0.25, Temperature = 0.2, Model = "convn", Embedding = 16,
            Head = ProjectionHeadKind.Linear, ProjectionDim = 8, Epochs = 1, BatchSize = 16, Optimizer = OptimizerKind.Adam,
            LearningRate = 0.002, Momentum = 0.8, WeightDecay = 0.0005, WarmupEpochs = 0, Augment = AugmentPreset.Crop,
            TrainSize = 64, TestSize = 32, TestSubset = TestSubsetKind.All, ValidationSize = 100, Seed = 7, Threads = 1,
            Device = DeviceChoice.Cpu, OnlineProbeLearningRate = 0.001, EvalEvery = 1, OfflineProbeEvery = 1,
        };
        Assert.Equal(expected, cfg);
        Assert.Equal(text, RunJson.Serialize(cfg));
        Assert.Equal(text, RunJson.Serialize(expected));
    }

    [Fact]
    public void The_old_default_choices_read_as_the_typed_defaults()
    {
        var cfg = JsonSerializer.Deserialize<TrainConfig>(OldConfigJson, RunJson.Options)!;
        Assert.Equal((ProjectionHeadKind.Mlp, OptimizerKind.Sgd, AugmentPreset.Simclr), (cfg.Head, cfg.Optimizer, cfg.Augment));
        var defaults = new TrainConfig();
        Assert.Equal((cfg.Head, cfg.Optimizer, cfg.Augment, cfg.Device), (defaults.Head, defaults.Optimizer, defaults.Augment, defaults.Device));
    }

    [Fact]
    public void A_validation_size_is_stored_and_read_back_and_left_out_when_zero()
    {
        var json = RunJson.Serialize(new TrainConfig { ValidationSize = 500 }.Validate());
        Assert.Contains("\"validationSize\": 500", json);
        Assert.Equal(500, JsonSerializer.Deserialize<TrainConfig>(json, RunJson.Options)!.ValidationSize);
        Assert.DoesNotContain("validationSize", RunJson.Serialize(new TrainConfig().Validate()));
    }

    [Fact]
    public void Every_choice_name_is_what_config_json_stores_and_reads_back()
    {
        var names = new List<(string Key, string Name, TrainConfig Cfg)>();
        foreach (var c in ContrastiveLossKinds.All.Choices) names.Add(("loss", c.Name, new TrainConfig { Loss = c.Value }));
        foreach (var n in ModelFactory.Backbones.Names) names.Add(("model", n, new TrainConfig { Model = n }));
        foreach (var c in ProjectionHeadKinds.All.Choices) names.Add(("head", c.Name, new TrainConfig { Head = c.Value }));
        foreach (var c in OptimizerChoices.All.Choices) names.Add(("optimizer", c.Name, new TrainConfig { Optimizer = c.Value }));
        foreach (var c in AugmentationOptions.Presets.Choices) names.Add(("augment", c.Name, new TrainConfig { Augment = c.Value }));
        Assert.Equal(3 + 4 + 3 + 2 + 7, names.Count);
        foreach (var (key, name, cfg) in names)
        {
            var json = RunJson.Serialize(cfg.Validate());
            Assert.Contains($"\"{key}\": \"{name}\"", json);
            Assert.Equal(cfg, JsonSerializer.Deserialize<TrainConfig>(json, RunJson.Options)!.Validate());
        }
    }

    [Theory]
    [InlineData("{\"model\": \"vgg\"}", "--model vgg: unknown model; expected one of: convnet, convn, convn-wide, resnet18.")]
    [InlineData("{\"head\": 7}", "--head 7: unknown projection head; expected one of: none, linear, mlp.")]   // the enum converter reads numbers
    [InlineData("{\"optimizer\": 7}", "--optimizer 7: unknown optimizer; expected one of: sgd, adam.")]
    [InlineData("{\"augment\": 7}", "--augment 7: unknown augmentation preset; expected one of: none, crop, weak, simclr, strong, strong-color, strong-gray.")]
    [InlineData("{\"model\": \"ResNet18\"}", "--model ResNet18: unknown model; expected one of: convnet, convn, convn-wide, resnet18.")]   // stored names are canonical
    public void A_config_with_an_unknown_name_is_refused_naming_the_option(string json, string message)
    {
        var e = Assert.Throws<UserInputException>(() => JsonSerializer.Deserialize<TrainConfig>(json, RunJson.Options)!.Validate());
        Assert.Equal(message, e.Message);
    }

    // The typed choices are read as the loss is: an unknown name is not a value of the enum, so config.json does not
    // deserialise (train --resume turns that into "not a valid run configuration").
    [Theory]
    [InlineData("{\"head\": \"deep\"}", "$.head")]
    [InlineData("{\"optimizer\": \"lamb\"}", "$.optimizer")]
    [InlineData("{\"augment\": \"medium\"}", "$.augment")]
    [InlineData("{\"loss\": \"supcon\"}", "$.loss")]   // aliases are for the command line only, as before
    public void A_config_with_an_unknown_typed_choice_does_not_deserialise(string json, string path)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrainConfig>(json, RunJson.Options));
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void The_command_line_takes_aliases_and_any_case_and_stores_the_canonical_name()
    {
        Assert.Equal(ContrastiveLossKind.Ucl, ContrastiveLossKinds.All.Parse(" SimCLR "));
        Assert.Equal(ContrastiveLossKind.Scl, ContrastiveLossKinds.All.Parse("supcon"));
        Assert.Equal("resnet18", ModelFactory.Backbones.Find("ResNet18").Name);
        Assert.Equal("--loss x: unknown loss; expected one of: ucl, scl, joint.", Assert.Throws<UserInputException>(() => ContrastiveLossKinds.All.Parse("x")).Message);
        Assert.Equal("convnet (small, fast on CPU), convn (3 stride-2 convs 32/64/64 + dense 128 (Chen et al.'s RandBit encoder), fastest), convn-wide (convn at twice the width: 64/128/128 + dense 128) or resnet18 (CIFAR stem).", ModelFactory.Backbones.Help);
        Assert.Throws<ArgumentException>(() => new ChoiceSet<int>("--x", "x", new Choice<int>("a", 1, "one"), new Choice<int>("b", 2, "two", "a")));
    }
}
