using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workloads 1, 2 and 8: one SimCLR training step (forward, UCL loss, backward, optimiser step) on a fixed,
/// already-augmented batch of <c>batch</c> images = batch/2 examples x 2 views. Rate = encoder images per second.
/// </summary>
public sealed class TrainStepWorkload : IWorkload
{
    private readonly ContrastiveModel _model;
    private readonly optim.Optimizer _opt;
    private readonly Tensor _x;
    private readonly int _batch, _channels, _side;
    private readonly string _optimizer;
    private readonly bool _channelsLast;
    private long _steps;

    /// <summary>Builds the model (seed 0), the optimiser and a random input batch.</summary>
    /// <param name="id">Result id (w1, w2, w8-mnist, ...).</param>
    /// <param name="model">A <c>--model</c> name: convnet, convn or resnet18.</param>
    /// <param name="batch">Images per step (even: two views of batch/2 examples).</param>
    /// <param name="channelsLast">Input in channels-last (NHWC) strides, weights NCHW: the trainer's former CPU path (docs/robustness.md).</param>
    /// <param name="channels">Input channels (3 for CIFAR-sized input, 1 for MNIST-sized).</param>
    /// <param name="side">Input height and width (32 CIFAR, 28 MNIST).</param>
    /// <param name="optimizer">sgd (lr 0.05, momentum 0.9, weight decay 1e-4) or adam (lr 1e-3, weight decay 1e-4), as the trainer builds them.</param>
    public TrainStepWorkload(string id, string model, int batch, bool channelsLast = false, int channels = 3, int side = 32, string optimizer = "sgd")
    {
        if (batch < 2 || batch % 2 != 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "expected an even batch >= 2");
        if (optimizer is not ("sgd" or "adam")) throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, "expected sgd or adam");
        Id = id;
        ModelName = model;
        _batch = batch;
        _channels = channels;
        _side = side;
        _optimizer = optimizer;
        manual_seed(0);
        _model = ModelFactory.Create(new ModelConfig { Name = model, InChannels = channels, Head = ProjectionHeadKind.Mlp });
        _model.train();
        _opt = optimizer == "adam"
            ? optim.Adam(_model.parameters(), 1e-3, weight_decay: 1e-4)
            : optim.SGD(_model.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
        _x = rand(batch, channels, side, side, generator: new Generator(1));                     // [B, C, H, W]
        if (channelsLast) _x = ChannelsLast.Of(_x);                                               // NHWC input, NCHW weights
        Warmup = model == "resnet18" ? 1 : 2;
        _channelsLast = channelsLast;
    }

    /// <summary>convnet, convn or resnet18.</summary>
    public string ModelName { get; }
    /// <inheritdoc />
    public string Id { get; }
    /// <inheritdoc />
    public string Label => $"train step {ModelName}, batch {_batch}{(_side == 32 && _channels == 3 && _optimizer == "sgd" ? "" : $", {_channels}x{_side}x{_side}")}" +
        $"{(_optimizer == "sgd" ? "" : ", Adam")}, SimCLR loss{(_channelsLast ? ", NHWC" : "")}";   // w1 / w2 keep their old labels
    /// <inheritdoc />
    public string Unit => "img";
    /// <inheritdoc />
    public int Warmup { get; }
    /// <inheritdoc />
    public JsonObject? TorchSetup => new()
    {
        ["workload"] = "train", ["model"] = ModelName, ["batch"] = _batch, ["channels"] = _channels, ["side"] = _side, ["optimizer"] = _optimizer,
    };

    /// <inheritdoc />
    public double Step()
    {
        using (NewDisposeScope())
        {
            var (_, z) = _model.call(_x);                                                         // [B, q]
            long half = _batch / 2;
            var loss = InfoNceLoss.Ucl(z.narrow(0, 0, half), z.narrow(0, half, half), 0.5);      // []
            _opt.zero_grad();
            loss.backward();
            _opt.step();
        }
        if (++_steps % WhichFeatures.Training.RunCursor.CollectEvery == 0) GC.Collect();   // as RunCursor: tiny wrappers pin native memory
        return _batch;
    }

    /// <inheritdoc />
    public void Dispose() { _x.Dispose(); _opt.Dispose(); _model.Dispose(); }
}
