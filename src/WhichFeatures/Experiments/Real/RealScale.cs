using WhichFeatures.Core;

namespace WhichFeatures.Experiments.Real;

/// <summary>The named scales of the real-data suite and their schedules.</summary>
public static class RealScale
{
    /// <summary>CPU scale: small ConvNet on CIFAR-sized subsets; the default suite fits in an hour on 2 cores.</summary>
    public const string Cpu = "cpu";
    /// <summary>Paper scale: ResNet-18 on the full data with a paper-sized schedule (for a GPU).</summary>
    public const string Paper = "paper";
    /// <summary>Every scale name.</summary>
    public static readonly string[] Names = [Cpu, Paper];

    // RandBit k per preset keeps about 40-50 training images per bit pattern, as k = 10 does on the 50,000 CIFAR-10
    // training images: the bits then help instance discrimination without solving it alone, so they compete with the
    // image features (with one pattern per image the class features vanish at every embedding size).

    /// <summary>The schedule for <paramref name="o"/> (scale, quick, epoch multiplier, RandBit override, customisation).</summary>
    public static RealSchedule For(RealRunOptions o)
    {
        RealSchedule s = (o.Scale, o.Quick) switch
        {
            (Cpu, false) => new RealSchedule
            {
                Model = "convnet", TrainSize = 2500, TestSize = 1000, Epochs = 4, CurveEpochs = 8, BatchSize = 128,
                LearningRate = 0.15, WarmupEpochs = 1, RandBits = 6,
                EmbeddingSizes = [4, 16, 64, 128], ReferenceSizes = [4], Betas = [0, 0.25, 0.5, 0.75, 1],
            },
            (Cpu, true) => new RealSchedule
            {
                Model = "convnet", TrainSize = 768, TestSize = 400, Epochs = 2, CurveEpochs = 3, BatchSize = 128,
                LearningRate = 0.15, WarmupEpochs = 1, RandBits = 4,
                EmbeddingSizes = [4, 64, 128], ReferenceSizes = [], Betas = [0, 0.5, 1],
            },
            (Paper, false) => new RealSchedule
            {
                Model = "resnet18", TrainSize = 0, TestSize = 0, Epochs = 200, CurveEpochs = 200, BatchSize = 512,
                LearningRate = 0.6, WarmupEpochs = 10, RandBits = 10,
                EmbeddingSizes = [4, 16, 64, 128], ReferenceSizes = [4, 128], Betas = [0, 0.25, 0.5, 0.75, 1],
            },
            (Paper, true) => new RealSchedule
            {
                Model = "resnet18", TrainSize = 10000, TestSize = 0, Epochs = 20, CurveEpochs = 20, BatchSize = 512,
                LearningRate = 0.6, WarmupEpochs = 2, RandBits = 8,
                EmbeddingSizes = [4, 64, 128], ReferenceSizes = [], Betas = [0, 0.5, 1],
            },
            _ => throw new UserInputException($"--scale {o.Scale}: expected one of: {string.Join(", ", Names)}."),
        };
        if (o.EpochScale != 1)
            s = s with
            {
                Epochs = Math.Max(1, (int)Math.Round(s.Epochs * o.EpochScale)),
                CurveEpochs = Math.Max(1, (int)Math.Round(s.CurveEpochs * o.EpochScale)),
            };
        if (o.RandBits is { } k) s = s with { RandBits = k };
        return o.Customize?.Invoke(s) ?? s;
    }
}
