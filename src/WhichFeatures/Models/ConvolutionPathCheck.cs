using System.Collections.Concurrent;
using TorchSharp;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// Chooses how a model's convolutions run on the CPU by checking, not assuming, that they compute the model's function.
/// libtorch 2.10's oneDNN kernels fed channels-last input made ResNet-18 compute another function on one AVX-512 CPU
/// (its loss was 3e-3 off float64, docs/robustness.md), so the trainer feeds NCHW, and each candidate of
/// <see cref="ConvolutionPath"/>, fastest first, runs one float32 training step (SimCLR's loss at temperature 0.5) on
/// a batch of <see cref="CheckedBatch"/> images of the run's channels and size (at most <see cref="CheckedSide"/>),
/// with the process's thread count. It is compared with the same step in float64, the truth, which takes the float32 step's ReLU and
/// max-pool decisions (<see cref="PiecewiseDecisions"/>): a unit within round-off of a kink may go either way in a
/// correct computation and alone moves these small batches' gradients by 1e-3 to 1e-2, which an earlier version of
/// this check took for kernel faults. The first candidate whose loss and gradient are within <see cref="Tolerance"/> is
/// used; <c>WHICHFEATURES_ONEDNN=0</c> skips oneDNN. The result is cached per process, model configuration, checked
/// side and thread count.
/// </summary>
/// <remarks>
/// oneDNN is a process-wide switch, and runs trained side by side in one process share it: once a check turns it off
/// it stays off, and later checks try only <see cref="ConvolutionPath.ContiguousWithoutOneDnn"/>. A check draws its
/// models from the global torch generator with a fixed seed: callers seed afterwards.
/// </remarks>
public static class ConvolutionPathCheck
{
    /// <summary>
    /// Largest relative error against float64 accepted for the loss and for the whole gradient
    /// (‖g32 − g64‖ / ‖g64‖ over all parameters): float32's unit round-off is 6e-8, and this step amplifies an input
    /// perturbation about 20-fold, so a correct kernel lands near 1e-6; 1e-4 leaves a hundredfold margin.
    /// </summary>
    public const double Tolerance = 1e-4;

    /// <summary>How many times the float64 step's response to float32 rounding of its input a float32 path may be off.</summary>
    public const double ConditionMargin = 100;

    /// <summary>
    /// Largest image side the check runs at: for ResNet-18 at 2 threads the whole check took 1.6 s at 32 px and 1.0 s
    /// at 16 px (0.4 s of it building the two models). Every backbone ends in global pooling, so 16 px runs every
    /// layer. Smaller is not better: at 12 px ConvN's and ResNet-18's last feature maps are 2x2, where batch norm
    /// couples any unit to its whole channel.
    /// </summary>
    public const int CheckedSide = 16;

    /// <summary>
    /// Images in the checked step: 6, the batch at which the one confirmed kernel fault was recorded
    /// (docs/robustness.md). One batch, not two: ResNet-18's check took 0.8-1.4 s with batches of 6 and 8, about half
    /// of it the second batch's two steps.
    /// </summary>
    public const int CheckedBatch = 6;

    /// <summary>The environment variable that, set to 0, keeps the check from trying oneDNN's faster kernels.</summary>
    public const string OneDnnVariable = "WHICHFEATURES_ONEDNN";

    private static readonly ConcurrentDictionary<(ModelConfig, long, int), ConvolutionPathChoice> Cache = new();
    private static readonly object Gate = new();

    /// <summary>Every choice made in this process so far, in the order made.</summary>
    public static IReadOnlyList<ConvolutionPathChoice> Choices { get { lock (Gate) return [.. Cache.Values.OrderBy(c => c.Order)]; } }

    /// <summary>
    /// The path for <paramref name="config"/> on images of <paramref name="side"/> x <paramref name="side"/>: checked
    /// once per process and thread count, then cached. When a candidate fails, one line says so on
    /// <paramref name="log"/>, at the check.
    /// </summary>
    /// <param name="config">The model (name, input channels, sizes, head).</param>
    /// <param name="side">Image height and width.</param>
    /// <param name="log">Where the one line goes (null: nowhere).</param>
    public static ConvolutionPathChoice Choose(ModelConfig config, long side, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var key = (config, Math.Min(side, CheckedSide), get_num_threads());   // sides above CheckedSide share one check
        lock (Gate)
        {
            if (Cache.TryGetValue(key, out var known)) return known;
            var choice = Check(config, key.Item2, key.Item3, Cache.Count);
            Cache[key] = choice;
            if (choice.Tried.Any(t => !t.Passed)) log?.WriteLine(choice.Notice());
            return choice;
        }
    }

    /// <summary>Forgets every choice and switches oneDNN back on: for tests, which check several models in one process.</summary>
    internal static void Reset()
    {
        lock (Gate)
        {
            Cache.Clear();
            OneDnn.Enabled = true;
        }
    }

    private static ConvolutionPathChoice Check(ModelConfig config, long side, int threads, int order)
    {
        var tried = new List<ConvolutionPathTrial>();
        // Both candidates check the same pair of models (building ResNet-18's twice took 0.1-0.2 s).
        manual_seed(20230723);
        using var truthModel = ModelFactory.Create(config);
        truthModel.to(ScalarType.Float64);
        manual_seed(20230723);
        using var model = ModelFactory.Create(config);
        var candidates = OneDnn.Enabled && Environment.GetEnvironmentVariable(OneDnnVariable) != "0"
            ? new[] { ConvolutionPath.Contiguous, ConvolutionPath.ContiguousWithoutOneDnn }
            : new[] { ConvolutionPath.ContiguousWithoutOneDnn };
        foreach (var path in candidates)
        {
            if (path == ConvolutionPath.ContiguousWithoutOneDnn) OneDnn.Enabled = false;
            var trial = Measure(model, truthModel, config.InChannels, side, path);
            tried.Add(trial);
            if (trial.Passed) break;
        }
        var chosen = tried.FirstOrDefault(t => t.Passed)?.Path ?? ConvolutionPath.ContiguousWithoutOneDnn;
        return new ConvolutionPathChoice(config, side, threads, chosen, tried, order);
    }

    // One float32 step of the candidate against the float64 step. The bound is Tolerance; where the gradient is beyond
    // it, the larger of Tolerance and 100 times the float64 step's own response to rounding its input to float32
    // precision (a relative 2^-24 perturbation): an ill-conditioned step is not taken for a fault.
    private static ConvolutionPathTrial Measure(ContrastiveModel model, ContrastiveModel truthModel, long channels, long side, ConvolutionPath path)
    {
        using var scope = NewDisposeScope();
        var x = randn([CheckedBatch, channels, side, side], ScalarType.Float64, generator: new Generator(20230723UL + (ulong)CheckedBatch)); // [B, C, H, W]
        // The float64 step takes the float32 step's ReLU decisions: a unit within round-off of 0 may go either way in a
        // correct computation, and one such unit moves a small batch's gradients by 1e-3 (PiecewiseDecisions).
        var ((loss, grads), decisions) = PiecewiseDecisions.Record(() => Step(model, x.to(ScalarType.Float32)));
        try
        {
            var (truthLoss, truthGrads) = PiecewiseDecisions.Replay(decisions, () => Step(truthModel, x));
            double lossError = Math.Abs(loss - truthLoss) / Math.Max(Math.Abs(truthLoss), double.Epsilon), gradientError = GradientError(grads, truthGrads);
            // Only a gradient beyond Tolerance pays for the conditioning step (one more float64 step).
            double sensitivity = gradientError > Tolerance ? InputSensitivity(truthModel, x, truthGrads, decisions) : double.NaN;
            double bound = gradientError > Tolerance ? Math.Max(Tolerance, ConditionMargin * sensitivity) : Tolerance;
            bool passed = lossError <= Tolerance && gradientError <= bound;   // NaN fails too
            return new ConvolutionPathTrial(path, lossError, gradientError, passed) { Sensitivity = sensitivity };
        }
        finally
        {
            foreach (var d in decisions) d.Dispose();
        }
    }

    /// <summary>How far the float64 gradient moves when the input is rounded to float32 precision (a relative 2^-24 perturbation), with the same decisions.</summary>
    private static double InputSensitivity(ContrastiveModel truthModel, Tensor x, Tensor[] truthGrads, IReadOnlyList<Tensor> decisions)
    {
        var rounding = randn(x.shape, ScalarType.Float64, generator: new Generator(7UL + (ulong)CheckedBatch)).mul(Math.Pow(2, -24)); // [B, C, H, W]
        var (_, nearGrads) = PiecewiseDecisions.Replay(decisions, () => Step(truthModel, x.mul(rounding.add(1))));
        return GradientError(nearGrads, truthGrads);
    }

    /// <summary>‖g − truth‖ / ‖truth‖ over all parameters' gradients together.</summary>
    internal static double GradientError(Tensor[] gradients, Tensor[] truth)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < gradients.Length; i++)
        {
            diff += (gradients[i].to(ScalarType.Float64) - truth[i]).square().sum().ToDouble();
            norm += truth[i].square().sum().ToDouble();
        }
        return Math.Sqrt(diff / Math.Max(norm, double.Epsilon));
    }

    /// <summary>SimCLR's loss on the first and second half of the batch as the two views; the loss and every gradient.</summary>
    internal static (double Loss, Tensor[] Gradients) Step(ContrastiveModel model, Tensor x)
    {
        model.train();
        model.zero_grad();
        var (_, z) = model.call(x);                                                              // [B, q]
        long half = z.shape[0] / 2;
        var loss = InfoNceLoss.Ucl(z.narrow(0, 0, half), z.narrow(0, half, half), 0.5);
        loss.backward();
        return (loss.ToDouble(), model.parameters().Select(p => p.grad!.detach().clone()).ToArray());
    }
}

/// <summary>One candidate's check: its relative errors against float64 and whether both are within the tolerance.</summary>
/// <param name="Path">The candidate.</param>
/// <param name="LossError">|loss32 − loss64| / |loss64|, on the checked batch.</param>
/// <param name="GradientError">‖g32 − g64‖ / ‖g64‖ over all parameters, on the checked batch.</param>
/// <param name="Passed">Both within <see cref="ConvolutionPathCheck.Tolerance"/>.</param>
public sealed record ConvolutionPathTrial(ConvolutionPath Path, double LossError, double GradientError, bool Passed)
{
    /// <summary>
    /// How far the float64 gradient itself moves when the input is perturbed by float32 round-off (relative 2^-24),
    /// on the checked batch: the step's conditioning, against which <see cref="GradientError"/> is judged.
    /// Measured only for a batch whose gradient error exceeded the tolerance; NaN when none did.
    /// </summary>
    public double Sensitivity { get; init; }
}

/// <summary>The path chosen for one model configuration, image side and thread count, and every candidate tried.</summary>
/// <param name="Config">The model.</param>
/// <param name="Side">Image side checked: the run's, capped at <see cref="ConvolutionPathCheck.CheckedSide"/>.</param>
/// <param name="Threads">libtorch threads at the check.</param>
/// <param name="Path">The path used.</param>
/// <param name="Tried">Candidates in the order tried (fastest first), up to the one chosen.</param>
/// <param name="Order">When it was made in this process (0 = first).</param>
public sealed record ConvolutionPathChoice(ModelConfig Config, long Side, int Threads, ConvolutionPath Path, IReadOnlyList<ConvolutionPathTrial> Tried, int Order)
{
    /// <summary>Whether the chosen path passed its check (false only when every candidate failed).</summary>
    public bool Verified => Tried.Any(t => t.Path == Path && t.Passed);

    /// <summary>One line for results.json and the report: model, size, threads, the path and each tried candidate's error.</summary>
    public string Summary() =>
        $"{Config.Name} {Config.InChannels}ch {Side}px {Threads} thread(s): {Path.Describe()}" + (Verified ? "" : " (no candidate matched float64)")
        + "; checked against float64: " + string.Join(", ", Tried.Select(t => $"{t.Path.Describe()} {Fmt(t.GradientError)} {(double.IsNaN(t.Sensitivity) ? "" : $" (response of the float64 step to input round-off: {Fmt(t.Sensitivity)})")}"));

    /// <summary>The console line printed when a candidate failed its check.</summary>
    public string Notice() =>
        $"note: {Config.Name} convolutions run {Path.Describe()} on this CPU: " + string.Join("; ", Tried.Where(t => !t.Passed)
            .Select(t => $"{t.Path.Describe()} gave gradients {Fmt(t.GradientError)} off float64 (tolerance {Fmt(ConvolutionPathCheck.Tolerance)})"))
        + (Verified ? "" : "; no candidate matched float64, results may be inexact") + " (docs/robustness.md).";

    private static string Fmt(double v) => v.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture);
}
