using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workloads 1 and 2: one SimCLR training step (forward, UCL loss, backward, SGD with momentum) on a fixed,
/// already-augmented batch of <c>batch</c> images = batch/2 examples x 2 views. Rate = encoder images per second.
/// </summary>
public sealed class TrainStepWorkload : IWorkload
{
    private readonly ContrastiveModel _model;
    private readonly optim.Optimizer _opt;
    private readonly Tensor _x;
    private readonly int _batch;
    private readonly bool _channelsLast;
    private long _steps;

    /// <summary>Builds the model (seed 0), the optimiser and a random input batch.</summary>
    /// <param name="id">Result id (w1, w2).</param>
    /// <param name="model">convnet or resnet18.</param>
    /// <param name="batch">Images per step (even: two views of batch/2 examples).</param>
    /// <param name="channelsLast">Input in channels-last (NHWC) strides, weights NCHW, as <c>ContrastiveTrainer</c> runs on the CPU.</param>
    public TrainStepWorkload(string id, string model, int batch, bool channelsLast = false)
    {
        if (batch < 2 || batch % 2 != 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "expected an even batch >= 2");
        Id = id;
        ModelName = model;
        _batch = batch;
        manual_seed(0);
        _model = ModelFactory.Create(new ModelConfig { Name = model, InChannels = 3, Head = ProjectionHeadKind.Mlp });
        _model.train();
        _opt = optim.SGD(_model.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
        _x = rand(batch, 3, 32, 32, generator: new Generator(1));                                // [B, 3, 32, 32]
        if (channelsLast) _x = ChannelsLast.Of(_x);                                               // NHWC input, NCHW weights: as the trainer runs
        Warmup = model == "convnet" ? 2 : 1;
        _channelsLast = channelsLast;
    }

    /// <summary>convnet or resnet18.</summary>
    public string ModelName { get; }
    /// <inheritdoc />
    public string Id { get; }
    /// <inheritdoc />
    public string Label => $"train step {ModelName}, batch {_batch}, SimCLR loss{(_channelsLast ? ", NHWC" : "")}";
    /// <inheritdoc />
    public string Unit => "img";
    /// <inheritdoc />
    public int Warmup { get; }
    /// <inheritdoc />
    public JsonObject? TorchSetup => new() { ["workload"] = "train", ["model"] = ModelName, ["batch"] = _batch };

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
