using System.Text.Json.Serialization;
using WhichFeatures.Core;

namespace WhichFeatures.Experiments.Real;

/// <summary>How the real-data suite runs: where the data is, how many seeds, and at which scale.</summary>
public sealed record RealRunOptions
{
    /// <summary>Folder holding cifar-10-batches-bin/, mnist/ and (optionally) cifar-100-binary/.</summary>
    public string DataDir { get; init; } = "data";
    /// <summary>Seeds per configuration (each claim is decided over all of them); 3 by default (the rule of evidence needs at least 3).</summary>
    public int Seeds { get; init; } = 3;
    /// <summary>Seed of the first run; run i uses BaseSeed + i.</summary>
    public int BaseSeed { get; init; }
    /// <summary>The small preset (under 10 minutes on 2 cores): fewer images, epochs and configurations.</summary>
    public bool Quick { get; init; }
    /// <summary>Cpu (default; small ConvNet, CPU-sized subsets) or Paper (ResNet-18, full data, paper-sized schedule; for a GPU).</summary>
    public ScaleKind Scale { get; init; } = ScaleKind.Cpu;
    /// <summary>When set, every training run keeps its folder (config, checkpoints, metrics.csv) under OutDir/runs/; otherwise runs use a temp folder that is deleted.</summary>
    public string? OutDir { get; init; }
    /// <summary>Torch CPU threads (0 = libtorch default).</summary>
    public int Threads { get; init; }
    /// <summary>Device: auto, cpu, cuda or cuda:N.</summary>
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>RandBit bits k for the RandBit experiments; null = the scale's default.</summary>
    public int? RandBits { get; init; }
    /// <summary>Dataset every experiment runs on instead of its own (null = each experiment's default); <c>--dataset</c>.</summary>
    public string? Dataset { get; init; }
    /// <summary>The dataset an experiment whose own preset is <paramref name="preset"/> runs on: <see cref="Dataset"/> when given, canonical.</summary>
    public string DatasetFor(RunPreset preset) => Dataset is { } d ? Data.DatasetRegistry.Canonical(d) : preset.Dataset;
    /// <summary>JSON superclass map for the experiments that use a hierarchy (null = the dataset's built-in superclasses); <c>--superclass-map</c>.</summary>
    public string? SuperclassMap { get; init; }
    /// <summary>Score every run on a validation split carved from the training data instead of the test split (for choosing presets); <c>--validation</c>.</summary>
    public bool Validation { get; init; }
    /// <summary>What a claim's method adds when the runs were scored on the validation carve: a pilot, not evidence.</summary>
    public string ScoredSplitNote => Validation ? "; scored on the VALIDATION split (pilot)" : "";
    /// <summary>Epoch multiplier for a "longer run" (1 = the scale's schedule).</summary>
    public double EpochScale { get; init; } = 1;
    /// <summary>Overrides of the schedule (sizes, epochs), applied after the scale preset; null = none.</summary>
    [JsonIgnore]
    public Func<RealSchedule, RealSchedule>? Customize { get; init; }

    /// <summary>Throws <see cref="UserInputException"/> naming the first invalid option.</summary>
    public RealRunOptions Validate()
    {
        if (Seeds < 1) throw new UserInputException($"--seeds {Seeds}: expected at least 1 (2 or more to decide a claim).");
        if (!Enum.IsDefined(Scale)) throw ScaleKinds.All.Unknown(Scale.ToString());   // a number in a hand-edited sweep.json
        if (string.IsNullOrWhiteSpace(DataDir)) throw new UserInputException("--data-dir: expected the folder holding the datasets.");
        if (!Directory.Exists(DataDir)) throw new UserInputException($"--data-dir {DataDir}: folder not found; expected the folder holding cifar-10-batches-bin/ and mnist/.");
        if (RandBits is < 1 or > 30) throw new UserInputException($"--randbits {RandBits}: expected 1..30 for the RandBit experiments.");
        if (!(EpochScale > 0) || !double.IsFinite(EpochScale)) throw new UserInputException($"--epoch-scale {EpochScale}: expected a positive number.");
        if (Dataset is not null) Data.DatasetRegistry.Canonical(Dataset);   // throws naming --dataset's choices
        if (SuperclassMap is not null && !File.Exists(SuperclassMap)) throw new UserInputException($"--superclass-map {SuperclassMap}: file not found; expected a JSON file: superclass name -> list of class ids.");
        return this;
    }
}
