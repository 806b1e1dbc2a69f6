using System.Text.Json.Nodes;
using TorchSharp;
using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Models;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Bench.Workloads;

/// <summary>
/// Workload 4: one whole SimCLR training epoch on the CIFAR-10 training files, timed from reading the files
/// (gunzip + parse) to the last optimiser step: the per-step work of <see cref="ContrastiveTrainer"/> (shuffle,
/// gather, two per-sample-augmented views, standardise, forward, UCL, backward, SGD) without the online probes,
/// evaluation and checkpoint, which the SupContrast-style PyTorch pipeline does not have either.
/// Rate = training examples per second (each example gives two views).
/// </summary>
public sealed class EpochWorkload : IWorkload
{
    private readonly string _dataDir;
    private readonly int _batch, _limit, _workers;
    private readonly ContrastiveModel _model;
    private readonly optim.Optimizer _opt;
    private readonly AugmentationPipeline _pipeline = AugmentationPipeline.FromPreset(AugmentPreset.Simclr);
    private readonly bool _channelsLast;
    private int _epoch;

    /// <summary>Builds the model (seed 0) and optimiser; the data is read inside every <see cref="Step"/>.</summary>
    /// <param name="dataDir">Folder with cifar-10-batches-bin (plain or .gz files).</param>
    /// <param name="batch">Examples per step (two views each).</param>
    /// <param name="limit">Use only the first this many training examples (0 = all).</param>
    /// <param name="torchWorkers">DataLoader workers on the PyTorch side.</param>
    /// <param name="channelsLast">NHWC input with NCHW weights (<see cref="ChannelsLast"/>), the trainer's former CPU path.</param>
    public EpochWorkload(string dataDir, int batch, int limit, int torchWorkers, bool channelsLast = false)
    {
        _dataDir = dataDir; _batch = batch; _limit = limit; _workers = torchWorkers; _channelsLast = channelsLast;
        manual_seed(0);
        _model = ModelFactory.Create(new ModelConfig { Name = "convnet", InChannels = 3, Head = ProjectionHeadKind.Mlp });
        _opt = optim.SGD(_model.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-4);
    }

    /// <inheritdoc />
    public string Id => "w4";
    /// <inheritdoc />
    public string Label => $"one epoch CIFAR-10{(_limit > 0 ? $" (first {_limit})" : "")}, convnet, batch {_batch}, load+augment+train{(_channelsLast ? ", NHWC" : "")}";
    /// <inheritdoc />
    public string Unit => "img";
    /// <inheritdoc />
    public int Warmup => 0;
    /// <inheritdoc />
    public JsonObject? TorchSetup => new()
    {
        ["workload"] = "epoch", ["data"] = Cifar10Loader.ResolveFolder(_dataDir), ["batch"] = _batch,
        ["workers"] = _workers, ["limit"] = _limit,
    };

    /// <inheritdoc />
    public double Step()
    {
        using var all = Cifar10Loader.Load(_dataDir, DatasetSplit.Train);
        using var train = _limit > 0 && _limit < all.Count ? all.Subset(arange(_limit, dtype: ScalarType.Int64)) : null;
        var data = train ?? all;
        using var input = new ModelInput(data, CPU);
        _epoch++;
        using var shuffle = new Generator((ulong)_epoch);
        using var augment = new Generator((ulong)_epoch + 500_009UL);
        using var perm = randperm(data.Count, generator: shuffle);                                // [N]
        int steps = (int)(data.Count / _batch);
        _model.train();
        for (int b = 0; b < steps; b++)
        {
            using var scope = NewDisposeScope();
            var idx = perm.narrow(0, (long)b * _batch, _batch);                                   // [B]
            var images = data.Images.index_select(0, idx);                                       // uint8 [B, 3, 32, 32]
            var (v1, v2) = _pipeline.TwoViews(images, augment);                                  // float [B, 3, 32, 32] each
            var x = cat([input.Prepare(v1, null), input.Prepare(v2, null)], 0);                  // [2B, 3, 32, 32]
            if (_channelsLast) x = ChannelsLast.Of(x);
            var (_, z) = _model.forward(x);                                                       // [2B, q]
            var loss = InfoNceLoss.Ucl(z.narrow(0, 0, _batch), z.narrow(0, _batch, _batch), 0.5);
            if (!double.IsFinite(loss.ToDouble())) throw new InvalidOperationException("non-finite loss");
            _opt.zero_grad();
            loss.backward();
            _opt.step();
            if (b % 50 == 49) GC.Collect();
        }
        GC.Collect();
        return (double)steps * _batch;
    }

    /// <inheritdoc />
    public void Dispose() { _opt.Dispose(); _model.Dispose(); }
}
