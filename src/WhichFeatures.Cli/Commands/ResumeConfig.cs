using System.Globalization;
using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Reporting;
using WhichFeatures.Training;

namespace WhichFeatures.Cli.Commands;

/// <summary>
/// <c>train --resume</c>: the run's own config.json is the configuration. Options the user gives must equal it (the
/// error names every option that differs, with both values); options left out are taken from it.
/// </summary>
public static class ResumeConfig
{
    /// <summary>Each train option and the config field it sets.</summary>
    public static readonly IReadOnlyDictionary<string, Func<TrainConfig, object?>> Fields = new Dictionary<string, Func<TrainConfig, object?>>
    {
        ["--dataset"] = c => c.Dataset, ["--data-dir"] = c => c.DataDir, ["--superclasses"] = c => c.Superclasses,
        ["--superclass-map"] = c => c.SuperclassMap, ["--randbits"] = c => c.RandBits, ["--loss"] = c => c.Loss,
        ["--beta"] = c => c.Beta, ["--temperature"] = c => c.Temperature, ["--model"] = c => c.Model, ["--embedding"] = c => c.Embedding,
        ["--head"] = c => c.Head, ["--projection-dim"] = c => c.ProjectionDim, ["--epochs"] = c => c.Epochs, ["--batch-size"] = c => c.BatchSize,
        ["--optimizer"] = c => c.Optimizer, ["--lr"] = c => c.LearningRate, ["--momentum"] = c => c.Momentum, ["--weight-decay"] = c => c.WeightDecay,
        ["--warmup-epochs"] = c => c.WarmupEpochs, ["--augment"] = c => c.Augment, ["--train-size"] = c => c.TrainSize,
        ["--test-size"] = c => c.TestSize, ["--validation-size"] = c => c.ValidationSize, ["--seed"] = c => c.Seed, ["--threads"] = c => c.Threads, ["--device"] = c => c.Device,
        ["--eval-every"] = c => c.EvalEvery, ["--offline-probe-every"] = c => c.OfflineProbeEvery,
    };

    /// <summary>The run's config with the given options checked against it.</summary>
    /// <param name="runDir">The --out folder being resumed.</param>
    /// <param name="fromCommandLine">The config built from the command line (defaults where options were left out).</param>
    /// <param name="givenOptions">Names of the options the user actually typed.</param>
    public static TrainConfig Merge(string runDir, TrainConfig fromCommandLine, IReadOnlySet<string> givenOptions)
    {
        var path = Path.Combine(runDir, "config.json");
        if (!File.Exists(path))
            throw new UserInputException($"--resume {runDir}: no config.json there; expected the --out folder of a started 'whichfeatures train' run.");
        TrainConfig file;
        try
        {
            file = JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), RunJson.Options) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a valid run configuration ({e.Message}); cannot resume.", e);
        }
        var differ = Fields.Where(f => givenOptions.Contains(f.Key) && !Equals(f.Value(fromCommandLine), f.Value(file)))
            .Select(f => $"{f.Key} {Show(f.Value(fromCommandLine))} (the run has {Show(f.Value(file))})").ToList();
        if (differ.Count > 0)
            throw new UserInputException($"--resume {runDir}: {string.Join(", ", differ)} differ{(differ.Count == 1 ? "s" : "")} from the run's config.json; leave {(differ.Count == 1 ? "it" : "them")} out to continue the run as configured, or start a new run with another --out.");
        return file;
    }

    private static string Show(object? v) => v switch
    {
        null => "(none)",
        bool b => b ? "on" : "off",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
