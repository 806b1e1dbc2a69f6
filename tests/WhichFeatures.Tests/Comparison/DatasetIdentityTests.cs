using WhichFeatures.Comparison;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Comparison;

/// <summary>What a diagnosis was measured on, from its config.json, is the same as for the data it names.</summary>
public class DatasetIdentityTests
{
    [Fact]
    public void ADiagnosisOfARunHasTheRunsDataEvenWhenItsPathWasRelative()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var config = new TrainConfig { Dataset = "mnist", Superclasses = true, ValidationSize = 500 };
        File.WriteAllText(Path.Combine(tmp.Sub("run-a"), "config.json"), RunJson.Serialize(config));
        // diagnose --run run-a, typed in the folder holding both (this process's working folder is elsewhere).
        File.WriteAllText(Path.Combine(tmp.Sub("diag-a"), "config.json"), """{ "run": "run-a", "epoch": 2 }""");
        Assert.Equal(DatasetIdentity.Of(config), DatasetIdentity.OfDiagnosis(Path.Combine(tmp.Path, "diag-a")));
        Assert.NotEqual(DatasetIdentity.Of(config with { Superclasses = false }), DatasetIdentity.Of(config));
        Assert.NotEqual(DatasetIdentity.Of(config with { ValidationSize = 0 }), DatasetIdentity.Of(config));
        Assert.Equal(DatasetIdentity.Of(config with { RandBits = 5, TrainSize = 100, Seed = 4 }), DatasetIdentity.Of(config));

        File.WriteAllText(Path.Combine(tmp.Sub("diag-b"), "config.json"), """{ "run": "gone", "epoch": 2 }""");
        Assert.Contains("not found", DatasetIdentity.OfDiagnosis(Path.Combine(tmp.Path, "diag-b")));
        File.WriteAllText(Path.Combine(tmp.Sub("diag-c"), "config.json"), """{ "onnx": "e.onnx", "dataset": "cifar10" }""");
        Assert.Equal("cifar10", DatasetIdentity.OfDiagnosis(Path.Combine(tmp.Path, "diag-c")));
        File.WriteAllText(Path.Combine(tmp.Sub("diag-d"), "config.json"), """{ "embeddings": "x/e.npy", "labels": "x/labels.csv" }""");
        Assert.Equal("labels labels.csv", DatasetIdentity.OfDiagnosis(Path.Combine(tmp.Path, "diag-d")));
    }
}
