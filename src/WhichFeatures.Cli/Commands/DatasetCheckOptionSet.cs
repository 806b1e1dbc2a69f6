using System.CommandLine;
using WhichFeatures.Data;

namespace WhichFeatures.Cli.Commands;

/// <summary>The options of <c>data verify</c> and <c>data inspect</c>: how to load the dataset, and (inspect only) the sample grid.</summary>
internal sealed class DatasetCheckOptionSet
{
    public Argument<string> Name { get; } = DataCommand.NameArgument();
    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Folder holding the dataset (or its parent: cifar-10-batches-bin/, cifar-100-binary/, mnist/, fashion-mnist/ are found).", Required = true };
    public Option<bool> Superclasses { get; } = new("--superclasses") { Description = "CIFAR-10: class = vehicles/animals, subclass = the 10 classes." };
    public Option<string?> SuperclassMap { get; } = new("--superclass-map") { Description = "JSON file: superclass name -> list of class ids." };
    public Option<int> RandBits { get; } = new("--randbits") { Description = "Add k RandBit channels (0 = none).", DefaultValueFactory = _ => 0 };
    public Option<string> RandBitSource { get; } = new("--randbit-source") { Description = "hash (of the image, default) or random (seeded).", DefaultValueFactory = _ => "hash" };
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed for sampling, seeded RandBit and digit/background pairing.", DefaultValueFactory = _ => 0 };
    public Option<string> Blend { get; } = new("--blend") { Description = "digits-on-backgrounds: max (default) or alpha.", DefaultValueFactory = _ => "max" };
    public Option<string?> BackgroundDir { get; } = new("--background-dir") { Description = "digits-on-backgrounds: folder holding CIFAR-10 (default: --data-dir)." };
    public Option<string?> Output { get; } = new("--out") { Description = "PNG grid of samples (default: <name>-samples.png)." };
    public Option<int> PerClass { get; } = new("--per-class") { Description = "Samples per row of the grid.", DefaultValueFactory = _ => 8 };
    public Option<string> Label { get; } = new("--label") { Description = "Label whose values make the grid rows.", DefaultValueFactory = _ => LabelKeys.Class };
    public Option<string> Split { get; } = new("--split") { Description = "Split shown in the grid: train or test.", DefaultValueFactory = _ => "train" };

    public DatasetCheckOptionSet()
    {
        RandBitSource.AcceptOnlyFromAmong("hash", "random");
        Blend.AcceptOnlyFromAmong("max", "alpha");
        Split.AcceptOnlyFromAmong("train", "test");
    }

    /// <summary>Adds the argument and the options to <paramref name="cmd"/> in the order <c>--help</c> lists them; the grid's only for inspect.</summary>
    public void AddTo(Command cmd, bool inspect)
    {
        cmd.Add(Name);
        foreach (var o in new Option[] { DataDir, Superclasses, SuperclassMap, RandBits, RandBitSource, Seed, Blend, BackgroundDir }) cmd.Add(o);
        if (inspect)
            foreach (var o in new Option[] { Output, PerClass, Label, Split }) cmd.Add(o);
    }

    /// <summary>How the dataset is loaded.</summary>
    public DatasetLoadOptions LoadOptions(ParseResult parse) => new()
    {
        Superclasses = parse.GetValue(Superclasses),
        SuperclassMapFile = parse.GetValue(SuperclassMap),
        RandBits = parse.GetValue(RandBits),
        RandBitSource = parse.GetValue(RandBitSource) == "random" ? Data.RandBitSource.SeededRandom : Data.RandBitSource.ImageHash,
        Seed = parse.GetValue(Seed),
        DigitBlend = parse.GetValue(Blend) == "alpha" ? DigitBlend.Alpha : DigitBlend.Max,
        BackgroundDataDir = parse.GetValue(BackgroundDir),
    };
}
