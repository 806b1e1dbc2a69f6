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

    /// <summary>The dataset name argument every <c>data</c> subcommand takes.</summary>
    internal static Argument<string> NameArgument() =>
        new("name") { Description = "Dataset: " + string.Join(", ", DatasetRegistry.Names) + "." };

    private static Command CreateVerifyOrInspect(bool inspect)
    {
        var options = new DatasetCheckOptionSet();
        var cmd = new Command(inspect ? "inspect" : "verify", inspect
            ? "Load a dataset, print counts per class, shapes and checksums, and write a PNG grid of samples."
            : "Load a dataset and print counts per class, shapes and file checksums; exit 2 with the file at fault if it is bad.");
        options.AddTo(cmd, inspect);
        cmd.SetAction(parse => Guard(parse, () => VerifyOrInspect(parse, options, inspect)));
        return cmd;
    }

    /// <summary>Loads the dataset and prints its summary; inspect also writes the sample grid.</summary>
    private static int VerifyOrInspect(ParseResult parse, DatasetCheckOptionSet o, bool inspect)
    {
        var stdout = parse.InvocationConfiguration.Output;
        var datasetName = DatasetRegistry.Canonical(parse.GetValue(o.Name) ?? "");
        var dir = parse.GetValue(o.DataDir)!;
        var options = o.LoadOptions(parse);
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
                var path = parse.GetValue(o.Output) ?? $"{datasetName}-samples.png";
                var shown = parse.GetValue(o.Split) == "test" ? test : train;
                var key = parse.GetValue(o.Label) ?? LabelKeys.Class;
                var (w, h) = SampleGrid.Write(shown, path, parse.GetValue(o.PerClass), key, parse.GetValue(o.Seed));
                stdout.WriteLine($"  sample grid ({shown.Name}, rows = {key}): {Path.GetFullPath(path)} ({w}x{h} px)");
            }
            stdout.WriteLine(inspect ? "inspect: OK" : "verify: OK");
        }
        return 0;
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
