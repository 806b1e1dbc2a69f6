using TorchSharp;
using WhichFeatures.Data;
using WhichFeatures.Models;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Models;

/// <summary>
/// The convolution path the trainer uses computes the model's function: one float32 SimCLR step in that path equals
/// the same step in float64 within <see cref="ConvolutionPathCheck.Tolerance"/>, for every model, 1 and 3 input
/// channels and 1 and 2 threads. The step here uses another input, initialisation and (for the small models) batch
/// size than the check itself. On a CPU whose channels-last or oneDNN kernels are wrong
/// (docs/robustness.md) these fail if the trainer goes back to channels-last input or to oneDNN for ResNet-18.
/// </summary>
[Collection("torch")]
public sealed class ConvolutionPathTests : IDisposable
{
    private readonly int _threads = get_num_threads();

    public void Dispose()
    {
        ConvolutionPathCheck.Reset();   // oneDNN back on for the tests that follow
        set_num_threads(_threads);
    }

    /// <summary>Every model <see cref="ModelFactory"/> builds, with 1 and 3 channels at 1 and 2 threads (ResNet-18 on 6 images: it is the slow one).</summary>
    public static TheoryData<string, int, int, int> EveryModel()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var name in ModelFactory.Names)
            foreach (int channels in new[] { 1, 3 })
                foreach (int threads in new[] { 1, 2 })
                    data.Add(name, channels, threads, name == "resnet18" ? 6 : 32);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModel))]
    public void TheTrainersPathMatchesFloat64(string name, int channels, int threads, int batch)
    {
        ConvolutionPathCheck.Reset();
        set_num_threads(threads);
        var cfg = new ModelConfig { Name = name, InChannels = channels, Head = ProjectionHeadKind.Mlp };
        const int side = 16;
        var data = TinyImages(channels, side);
        var (state, input) = TrainingState.Create(TinyConfig(name), data, torch.CPU);
        using var _ = state;
        using var __ = input;
        var choice = ConvolutionPathCheck.Choose(cfg, side);
        Assert.Equal(choice.Path == ConvolutionPath.Contiguous, OneDnn.Enabled);

        var x = randn([batch, channels, side, side], ScalarType.Float64, generator: new Generator(77));  // [B, C, 16, 16]
        manual_seed(5);
        using var truth = ModelFactory.Create(cfg);
        truth.to(ScalarType.Float64);
        manual_seed(5);
        using var model = ModelFactory.Create(cfg);
        // float64 takes float32's ReLU decisions: which side a unit within round-off of 0 takes is not the kernels' doing.
        var x32 = x.to(ScalarType.Float32);
        var ((l32, g32), decisions) = PiecewiseDecisions.Record(() => ConvolutionPathCheck.Step(model, x32));
        var (l64, g64) = PiecewiseDecisions.Replay(decisions, () => ConvolutionPathCheck.Step(truth, x));
        double gradientError = ConvolutionPathCheck.GradientError(g32, g64), lossError = Math.Abs(l32 - l64) / Math.Abs(l64);
        Assert.True(lossError <= ConvolutionPathCheck.Tolerance, $"{name}: loss {lossError:E1} off float64 on path {choice.Path}");
        Assert.True(gradientError <= ConvolutionPathCheck.Tolerance, $"{name}: gradient {gradientError:E1} off float64 on path {choice.Path} ({choice.Summary()})");
    }

    [Fact]
    public void ReplayedPiecewiseDecisionsRemoveTheFlipOfTheChecksOneChannelResNetInput()
    {
        // The check's own one-channel ResNet-18 input at batch 6: one pre-activation lies within float32 round-off of
        // 0 (docs/robustness.md). Whether float32 flips it depends on the summation order, so the plain comparison is
        // CPU-dependent; with float32's decisions replayed, float64 must agree to round-off on every CPU.
        ConvolutionPathCheck.Reset();
        OneDnn.Enabled = false;
        using var scope = NewDisposeScope();
        var cfg = new ModelConfig { Name = "resnet18", InChannels = 1 };
        manual_seed(20230723);
        using var truth = ModelFactory.Create(cfg);
        truth.to(ScalarType.Float64);
        manual_seed(20230723);
        using var model = ModelFactory.Create(cfg);
        var x = randn([6, 1, 16, 16], ScalarType.Float64, generator: new Generator(20230723UL + 6));   // the check's input
        var ((_, g32), decisions) = PiecewiseDecisions.Record(() => ConvolutionPathCheck.Step(model, x.to(ScalarType.Float32)));
        var (_, replayed) = PiecewiseDecisions.Replay(decisions, () => ConvolutionPathCheck.Step(truth, x));
        Assert.True(ConvolutionPathCheck.GradientError(g32, replayed) <= ConvolutionPathCheck.Tolerance);
        // Replay is exact bookkeeping: float64 replaying its own decisions is plain float64, to the last bit.
        var ((_, own), ownDecisions) = PiecewiseDecisions.Record(() => ConvolutionPathCheck.Step(truth, x));
        var (_, ownReplayed) = PiecewiseDecisions.Replay(ownDecisions, () => ConvolutionPathCheck.Step(truth, x));
        Assert.Equal(0, ConvolutionPathCheck.GradientError(ownReplayed, own));
        Assert.Equal(decisions.Count, ownDecisions.Count);
        Assert.Throws<InvalidOperationException>(() => PiecewiseDecisions.Replay(decisions.Take(decisions.Count - 1).ToList(), () => ConvolutionPathCheck.Step(truth, x)));
        // A fault is not hidden by the replay: wrong weights in the float64 model still show.
        using (no_grad()) truth.parameters().First().add_(0.01);   // not a rescaling: batch norm would undo that
        var (_, wrong) = PiecewiseDecisions.Replay(decisions, () => ConvolutionPathCheck.Step(truth, x));
        Assert.True(ConvolutionPathCheck.GradientError(g32, wrong) > 100 * ConvolutionPathCheck.Tolerance);
    }

    [Fact]
    public void TheCheckIsCachedAndSaysWhatItTried()
    {
        ConvolutionPathCheck.Reset();
        set_num_threads(1);
        var cfg = new ModelConfig { Name = "convn", InChannels = 2 };
        var log = new StringWriter();
        var first = ConvolutionPathCheck.Choose(cfg, 16, log);
        var again = ConvolutionPathCheck.Choose(cfg, 16, log);
        Assert.Same(first, again);
        Assert.Contains(first, ConvolutionPathCheck.Choices);
        Assert.NotEmpty(first.Tried);
        Assert.Equal(first.Path, first.Tried[^1].Path);
        Assert.All(first.Tried.SkipLast(1), t => Assert.False(t.Passed));
        Assert.Contains($"convn 2ch 16px 1 thread(s): {first.Path.Describe()}", first.Summary());
        // The float64 step's response to float32 round-off of its input is measured only where the gradient is beyond
        // the tolerance; a passing path within it needs none.
        Assert.True(first.Tried[^1].GradientError <= ConvolutionPathCheck.Tolerance);
        Assert.True(double.IsNaN(first.Tried[^1].Sensitivity));
        Assert.DoesNotContain("response of the float64 step", first.Summary());
        // The note is printed once, and only when a candidate failed.
        int notes = log.ToString().Split('\n').Count(l => l.StartsWith("note: convn convolutions run"));
        Assert.Equal(first.Tried.All(t => t.Passed) ? 0 : 1, notes);
    }

    // With oneDNN already off (a ResNet-18 in the same process), only the oneDNN-free path is tried, and it matches.
    [Fact]
    public void WithOneDnnOffOnlyTheOneDnnFreePathIsTried()
    {
        ConvolutionPathCheck.Reset();
        set_num_threads(1);
        OneDnn.Enabled = false;
        var choice = ConvolutionPathCheck.Choose(new ModelConfig { Name = "convnet", InChannels = 3 }, 12);
        Assert.Equal(ConvolutionPath.ContiguousWithoutOneDnn, choice.Path);
        var trial = Assert.Single(choice.Tried);
        Assert.True(trial.Passed, choice.Summary());
        Assert.InRange(trial.GradientError, 0, ConvolutionPathCheck.Tolerance);
        Assert.False(OneDnn.Enabled);
    }

    // NNPACK gets no say: libtorch would pick it for convolutions without a gradient (probes), which the check never
    // runs, and on CPUs it does not support, asking for it prints native warnings on the console.
    [Fact]
    public void BuildingAModelSwitchesNnpackOffForTheProcess()
    {
        Nnpack.Enabled = true;
        Assert.True(Nnpack.Enabled);   // the switch reads libtorch's own flag back
        using var model = ModelFactory.Create(new ModelConfig { Name = "convn", InChannels = 3 });
        Assert.False(Nnpack.Enabled);
    }

    private static TrainConfig TinyConfig(string model) => new() { Model = model, BatchSize = 4, Epochs = 1 };

    private static ImageDataset TinyImages(int channels, int side)
    {
        var images = randint(0, 256, [8, channels, side, side], generator: new Generator(3)).to(ScalarType.Byte);   // [8, C, H, W]
        var labels = new Dictionary<string, Tensor> { [LabelKeys.Class] = arange(8, ScalarType.Int64) % 2 };
        var names = new Dictionary<string, IReadOnlyList<string>> { [LabelKeys.Class] = ["a", "b"] };
        return new ImageDataset("tiny", images, labels, names);
    }
}
