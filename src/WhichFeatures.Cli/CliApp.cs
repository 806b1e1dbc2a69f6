using System.CommandLine;
using System.Runtime.InteropServices;

using WhichFeatures.Cli.Commands;
using WhichFeatures.Core;

namespace WhichFeatures.Cli;

/// <summary>
/// The whichfeatures command line: builds the verbs and runs them with one error policy.
/// A user error (bad value, bad file) prints one line and exits 2; an internal error prints one line and exits 1;
/// stack traces only with --verbose.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for an internal error (a bug).</summary>
    public const int InternalError = 1;
    /// <summary>Exit code for a user error: invalid option value, bad input file, unwritable output.</summary>
    public const int UserError = 2;
    /// <summary>Exit code after Ctrl-C (SIGINT) or SIGTERM, once the run has saved what it can.</summary>
    public const int Interrupted = 130;

    /// <summary>--verbose: show stack traces and more detail. Available on every verb.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Show stack traces on errors and more detail.", Recursive = true };

    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("whichfeatures: which features did your contrastive encoder learn, and which did it lose? " +
                                   "Reproduces Xue et al., ICML 2023 (class collapse, feature suppression, the joint loss).");
        root.Add(Verbose);
        root.Add(ReproduceCommand.Create());
        root.Add(SweepCommand.Create());
        root.Add(TheoryCommand.Create());
        root.Add(TrainCommand.Create());
        root.Add(ProbeCommand.Create());
        root.Add(DiagnoseCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(DataCommand.Create());

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        var root = BuildRoot();
        var parse = root.Parse(args);
        bool verbose = args.Contains("--verbose") || args.Contains("-v");
        if (parse.Errors.Count > 0)
        {
            error.WriteLine(ParseErrorMessage.For(parse, root));
            return UserError;
        }
        // Ctrl-C / SIGTERM: cancel the token so a run can finish its step and checkpoint; a second signal kills at once.
        // (System.CommandLine's own handler would give up after 2 s, which may cut a checkpoint write short.)
        using var cts = new CancellationTokenSource();
        void OnSignal(PosixSignalContext ctx)
        {
            if (cts.IsCancellationRequested) return;   // second signal: default action, terminate now
            ctx.Cancel = true;
            error.WriteLine($"{ctx.Signal}: stopping after the current step (send it again to stop at once)...");
            cts.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(config, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (Unwrap(e) is UserInputException u)
        {
            error.WriteLine($"error: {u.Message}");
            if (verbose) error.WriteLine(u);
            return UserError;
        }
        catch (Exception e) when (Unwrap(e) is IOException or UnauthorizedAccessException)
        {
            // The environment, not a bug: a full disk, a folder that became unwritable, a file another process holds.
            var io = Unwrap(e);
            error.WriteLine($"error: could not read or write a file: {io.Message}");
            if (verbose) error.WriteLine(io);
            return UserError;
        }
        catch (Exception e) when (Unwrap(e) is OperationCanceledException)
        {
            error.WriteLine("interrupted.");
            return Interrupted;
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            error.WriteLine($"internal error: {inner.GetType().Name}: {inner.Message}");
            error.WriteLine(verbose ? inner.ToString() : "Run again with --verbose for the stack trace, and please report it.");
            return InternalError;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException!;
        return e;
    }
}
