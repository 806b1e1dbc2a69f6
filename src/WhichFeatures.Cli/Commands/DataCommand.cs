using System.CommandLine;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Reporting;

namespace WhichFeatures.Cli.Commands;

/// <summary>
/// <c>whichfeatures data verify|inspect|download</c>: check a dataset folder (counts per class, shapes,
/// checksums), draw a PNG grid of samples, or fetch a dataset from its official URL. A user error (bad file,
/// bad option, failed download) prints one line on stderr and exits with code 2.
/// </summary>
public static class DataCommand
{
    /// <summary>Exit code for a user error (bad input, bad file, failed download).</summary>
    public const int UserErrorExitCode = 2;

    /// <summary>
    /// Makes the HTTP handler <c>data download</c> uses (null = the default handler). A seam for tests, which
    /// replace it with a fake server so that no test touches the network.
    /// </summary>
    public static Func<HttpMessageHandler?> HttpHandlerFactory { get; set; } = () => null;

    /// <summary>Builds the <c>data</c> command with its three subcommands.</summary>
    public static Command Create()
    {
        var data = new Command("data", "Verify, inspect or download a dataset (" + string.Join(", ", DatasetRegistry.Names) + ").");
        data.Add(CreateVerifyOrInspect(inspect: false));
        data.Add(CreateVerifyOrInspect(inspect: true));
        data.Add(CreateDownload());
        return data;
    }

    private static Argument<string> NameArgument() =>
        new("name") { Description = "Dataset: " + string.Join(", ", DatasetRegistry.Names) + "." };

    private static Command CreateVerifyOrInspect(bool inspect)
    {
        var name = NameArgument();
        var dataDir = new Option<string>("--data-dir") { Description = "Folder holding the dataset (or its parent: cifar-10-batches-bin/, cifar-100-binary/, mnist/, fashion-mnist/ are found).", Required = true };
        var superclasses = new Option<bool>("--superclasses") { Description = "CIFAR-10: class = vehicles/animals, subclass = the 10 classes." };
        var superclassMap = new Option<string?>("--superclass-map") { Description = "JSON file: superclass name -> list of class ids." };
        var randbits = new Option<int>("--randbits") { Description = "Add k RandBit channels (0 = none).", DefaultValueFactory = _ => 0 };
        var randbitSource = new Option<string>("--randbit-source") { Description = "hash (of the image, default) or random (seeded).", DefaultValueFactory = _ => "hash" };
        randbitSource.AcceptOnlyFromAmong("hash", "random");
        var seed = new Option<long>("--seed") { Description = "Seed for sampling, seeded RandBit and digit/background pairing.", DefaultValueFactory = _ => 0 };
        var blend = new Option<string>("--blend") { Description = "digits-on-backgrounds: max (default) or alpha.", DefaultValueFactory = _ => "max" };
        blend.AcceptOnlyFromAmong("max", "alpha");
        var backgroundDir = new Option<string?>("--background-dir") { Description = "digits-on-backgrounds: folder holding CIFAR-10 (default: --data-dir)." };
        var output = new Option<string?>("--out") { Description = "PNG grid of samples (default: <name>-samples.png)." };
        var perClass = new Option<int>("--per-class") { Description = "Samples per row of the grid.", DefaultValueFactory = _ => 8 };
        var label = new Option<string>("--label") { Description = "Label whose values make the grid rows.", DefaultValueFactory = _ => LabelKeys.Class };
        var split = new Option<string>("--split") { Description = "Split shown in the grid: train or test.", DefaultValueFactory = _ => "train" };
        split.AcceptOnlyFromAmong("train", "test");

        var cmd = new Command(inspect ? "inspect" : "verify", inspect
            ? "Load a dataset, print counts per class, shapes and checksums, and write a PNG grid of samples."
            : "Load a dataset and print counts per class, shapes and file checksums; exit 2 with the file at fault if it is bad.")
        {
            name, dataDir, superclasses, superclassMap, randbits, randbitSource, seed, blend, backgroundDir,
        };
        if (inspect)
        {
            cmd.Add(output);
            cmd.Add(perClass);
            cmd.Add(label);
            cmd.Add(split);
        }
        cmd.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return Guard(parse, () =>
            {
                var datasetName = DatasetRegistry.Canonical(parse.GetValue(name) ?? "");
                var dir = parse.GetValue(dataDir)!;
                var options = new DatasetLoadOptions
                {
                    Superclasses = parse.GetValue(superclasses),
                    SuperclassMapFile = parse.GetValue(superclassMap),
                    RandBits = parse.GetValue(randbits),
                    RandBitSource = parse.GetValue(randbitSource) == "random" ? RandBitSource.SeededRandom : RandBitSource.ImageHash,
                    Seed = parse.GetValue(seed),
                    DigitBlend = parse.GetValue(blend) == "alpha" ? DigitBlend.Alpha : DigitBlend.Max,
                    BackgroundDataDir = parse.GetValue(backgroundDir),
                };
                var started = System.Diagnostics.Stopwatch.StartNew();
                var (train, test) = DatasetRegistry.Load(datasetName, dir, options);
                using (train)
                using (test)
                {
                    var loadSeconds = started.Elapsed.TotalSeconds;
                    var report = DatasetInspector.Summarise(datasetName, dir, options, train, test);
                    stdout.Write(report.ToText());
                    stdout.WriteLine($"  loaded in {loadSeconds:F2} s");
                    if (inspect)
                    {
                        var path = parse.GetValue(output) ?? $"{datasetName}-samples.png";
                        var shown = parse.GetValue(split) == "test" ? test : train;
                        var key = parse.GetValue(label) ?? LabelKeys.Class;
                        var (w, h) = SampleGrid.Write(shown, path, parse.GetValue(perClass), key, parse.GetValue(seed));
                        stdout.WriteLine($"  sample grid ({shown.Name}, rows = {key}): {Path.GetFullPath(path)} ({w}x{h} px)");
                    }
                    stdout.WriteLine(inspect ? "inspect: OK" : "verify: OK");
                }
                return 0;
            });
        });
        return cmd;
    }

    private static Command CreateDownload()
    {
        var name = NameArgument();
        var to = new Option<string>("--to") { Description = "Folder to download into (the dataset folder is created inside it).", Required = true };
        var force = new Option<bool>("--force") { Description = "Download again even if the dataset folder exists (replaced only once the new copy is verified)." };
        var cmd = new Command("download", "Fetch a dataset from its official URL, verify the published MD5 and unpack it; nothing is left behind on failure.")
        {
            name, to, force,
        };
        cmd.SetAction((parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return Task.FromResult(Guard(parse, () =>
            {
                var datasetName = DatasetRegistry.Canonical(parse.GetValue(name) ?? "");
                var handler = HttpHandlerFactory();
                try
                {
                    using var downloader = new DatasetDownloader(handler, log: stdout);
                    foreach (var result in downloader.Download(datasetName, parse.GetValue(to)!, parse.GetValue(force), cancellationToken))
                        stdout.WriteLine(result.Downloaded
                            ? $"{result.Dataset}: {result.Folder} ({string.Join(", ", result.VerifiedFiles.Select(f => $"{f.File} md5 {f.Md5}"))})"
                            : $"{result.Dataset}: already present in {result.Folder}");
                    stdout.WriteLine("download: OK");
                }
                finally
                {
                    handler?.Dispose();
                }
                return 0;
            }));
        });
        return cmd;
    }

    /// <summary>Runs <paramref name="body"/>; a user error prints "error: message" on stderr (no stack trace) and gives exit code 2.</summary>
    private static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserInputException e)
        {
            parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return UserErrorExitCode;
        }
    }
}
