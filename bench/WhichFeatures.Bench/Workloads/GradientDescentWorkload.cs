using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.LinearSetting;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workload 6b: <see cref="LinearTrainer.Train"/>, full-batch GD on spectral SCL for the linear model (fixed
/// identical views, as the CC-dynamics experiment), n x d float64, p = 32, no logging callback. One call = one run.
/// </summary>
public sealed class GradientDescentWorkload : IWorkload
{
    private readonly SyntheticDataset _data;
    private readonly TrainingSetup _setup;

    /// <summary>Draws the synthetic training set.</summary>
    /// <param name="n">Examples.</param>
    /// <param name="d">Input dimension.</param>
    /// <param name="p">Embedding size.</param>
    /// <param name="steps">GD steps per call.</param>
    public GradientDescentWorkload(int n, int d, int p, int steps)
    {
        N = n; D = d; P = p; Steps = steps;
        var cfg = new SyntheticDataConfig { N = n, D = d, Augmentation = AugmentationModel.Identity };
        _data = SyntheticDataset.Generate(cfg, n, new Generator(7));
        _setup = new TrainingSetup
        {
            Family = LossFamily.Spectral, Kind = ContrastiveLossKind.Scl, P = p, Steps = steps, LearningRate = 0.2,
            InitStd = 1e-4, BatchSize = 0, FreshViews = false,
        };
    }

    /// <summary>Examples n.</summary>
    public int N { get; }
    /// <summary>Input dimension d.</summary>
    public int D { get; }
    /// <summary>Embedding size p.</summary>
    public int P { get; }
    /// <summary>GD steps per call.</summary>
    public int Steps { get; }
    /// <inheritdoc />
    public string Id => "w6-gd";
    /// <inheritdoc />
    public string Label => $"{Steps} GD steps, spectral SCL, n {N}, d {D}, p {P} (float64)";
    /// <inheritdoc />
    public string Unit => "call";
    /// <inheritdoc />
    public int Warmup => 1;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "gd", ["n"] = N, ["d"] = D, ["p"] = P, ["steps"] = Steps };

    /// <inheritdoc />
    public double Step()
    {
        using var gen = new Generator(11);
        using var w = LinearTrainer.Train(_data, _setup, gen, fixedViews: (_data.X, _data.X));   // [p, d]
        return 1;
    }

    /// <inheritdoc />
    public void Dispose() => _data.Dispose();
}
