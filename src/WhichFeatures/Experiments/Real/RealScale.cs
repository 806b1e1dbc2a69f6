using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Losses;
using WhichFeatures.Training;

namespace WhichFeatures.Experiments.Real;

/// <summary>The schedules of the real-data suite's scales (<see cref="ScaleKind"/>).</summary>
public static class RealScale
{
    // CPU presets were chosen on validation splits carved from the training data (docs/real-experiments.md,
    // "Pilots"): ConvN with Adam 1e-3 learns MNIST in a few epochs (20,000 images x 5 epochs remove more than half
    // of the random encoder's error on validation); at temperature 0.1 with k = 5 the bits suppress the digit at
    // embedding size 4 but not at 128; on CIFAR-10, batch 128 for 20 epochs learns where batch 512 for 8 barely did;
    // SCL collapses subclasses at the projection output only on a small training set without augmentation; for the
    // joint loss, MNIST 0-4 / 5-9 and CIFAR-10 hierarchies left SCL above UCL on the subclass, so it runs on marked
    // pairs (that search is in the same docs section).
    private static RealSchedule CpuDefault() => new()
    {
        Model = "convn", Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WarmupEpochs = 0,
        MnistRandBit = new() { Dataset = DatasetRegistry.Mnist, TrainSize = 20000, TestSize = 5000, ValidationSize = 5000, Epochs = 5, BatchSize = 512, Temperature = 0.1, Augment = AugmentPreset.Crop, RandBits = 5 },
        // 6,000 images (8,000 until round 8) pay for the CC curve's two extra seeds: on validation the criterion's gaps stay
        // 6.5x and 8.6x the rule (docs/real-experiments.md, "Twelfth round").
        Cifar10RandBit = new() { Dataset = DatasetRegistry.Cifar10, TrainSize = 6000, TestSize = 5000, ValidationSize = 2000, Epochs = 20, BatchSize = 128, Temperature = 0.1, Augment = AugmentPreset.Simclr, RandBits = 5 },
        // CIFAR-10's learning bars from round 8: ConvN sits at 0.51-0.52 at q = 128 on this budget whatever the images,
        // epochs, batch or learning rate (bar 2 needs 0.544); ConvN at twice the width on 20,000 images x 10 epochs
        // reached 0.561-0.572 on validation (docs/real-experiments.md, "Third round" and "Tenth round"). It replaces
        // ConvN's own q = 128 reference, which no criterion reads.
        Cifar10BarReference = new() { Dataset = DatasetRegistry.Cifar10, TrainSize = 20000, TestSize = 5000, ValidationSize = 2000, Epochs = 10, BatchSize = 128, Temperature = 0.1, Augment = AugmentPreset.Simclr, Model = "convn-wide" },
        // Digits keep the earlier small ConvNet (fixed before its first run): with ConvN the digit stayed below its
        // random-init probe under every augmentation on the validation split. 5,000 images (2,500 until round 4): the
        // strong-augmentation seeds spread less, so its lead over weak is clearer (docs/real-experiments.md, "Fifth round").
        // From round 7 the strong arm is strong-gray (SimCLR's crops and jitter, grayscale 80 % of the time): strong's
        // 8 % crops cut the digit out of views, and its lead over weak was 1.4x the rule on validation and inside it in
        // round 6; strong-gray's was about 5x on validation ("Ninth round"). From round 8, 10,000 images: simclr's seeds
        // spread 0.07-0.09 on 5,000 and 0.03 on 10,000, so its lead over weak went from about 1x the rule to 3.7x ("Tenth round").
        Digits = new()
        {
            Dataset = DatasetRegistry.DigitsOnBackgrounds, TrainSize = 10000, TestSize = 5000, ValidationSize = 2000, Epochs = 4, BatchSize = 128, Temperature = 0.5, Augment = AugmentPreset.Simclr,
            Model = "convnet", Optimizer = OptimizerKind.Sgd, LearningRate = 0.15, WarmupEpochs = 1,
        },
        // 30 epochs (20 until round 4): the fall after the early peak is about 1.5x longer (docs/real-experiments.md, "Fifth round").
        // 5 seeds (2 beyond the suite's 3) from round 9: the fall is steady (0.044-0.070 in rounds 4 to 8) but the last
        // epoch's spread over 3 seeds ranged from 0.003 to 0.026 between draws, so the verdict flipped with the thread
        // count in round 8; no other preset tried on validation made the end point steadier ("Eleventh round" and
        // "Twelfth round").
        Curve = new() { Dataset = DatasetRegistry.Mnist, Superclasses = true, TrainSize = 2000, TestSize = 5000, ValidationSize = 5000, Epochs = 30, BatchSize = 256, Temperature = 0.1, Augment = AugmentPreset.None, ExtraSeeds = 2 },
        // Joint: CIFAR-10's objects in five pairs, unmarked (Data/Cifar10Pairs). At this size UCL ends with more subclass
        // information than SCL at the projection output, and the joint loss beats both on both labels; marked pairs (rounds
        // 3 and 4) left SCL ahead on the class (docs/real-experiments.md, "Sixth round").
        // 5 seeds (2 beyond the suite's 3) from round 6: in round 5 one SCL seed's class probe decided the verdict.
        Joint = new() { Dataset = DatasetRegistry.Cifar10Pairs, Superclasses = true, TrainSize = 10000, TestSize = 5000, ValidationSize = 5000, Epochs = 10, BatchSize = 128, Temperature = 0.1, Augment = AugmentPreset.Simclr, ExtraSeeds = 2 },
        // References without bits at q = 4 (the claims compare with it) and q = 128: the 4-dimensional loss embedding,
        // not the encoder, holds CIFAR-10's q = 4 reference below the learning bars (docs/real-experiments.md, "Third
        // round"), so the bars are reported for both. Size 1 is left out: a 1-dimensional normalised embedding is +-1,
        // so its loss is flat and its encoder stays near initialisation. From round 4 MNIST runs the sizes the criterion
        // compares (2 and 16 paid for the longer digits and CC presets), and the beta sweep is UCL, the joint loss, SCL.
        // From round 6 the joint loss's two extra seeds are paid for by p = 64 (both datasets; the criterion compares 4
        // with 128) and the joint loss's CC curve (docs/real-experiments.md, "Seventh round"). Round 6 also left out
        // MNIST's q = 128 reference and then missed bar 1 at q = 4 by 0.0008 ("Measured: round 6"): it is back (227 s).
        // From round 8 the CC curve trains SCL alone (UCL's curve, which no criterion reads, pays for the larger digits
        // set and CIFAR-10's bar reference; "Tenth round").
        EmbeddingSizes = [4, 128], Cifar10EmbeddingSizes = [4, 128], ReferenceSizes = [4, 128], Cifar10ReferenceSizes = [4],
        CurveLosses = [ContrastiveLossKind.Scl],
        Betas = [0, 0.75, 1], JointBeta = 0.75, JointLayer = OfflineProbeCurve.ProjectionLayer,
        StrongAugmentation = AugmentPreset.StrongGray,
    };

    // Quick: the same settings on fewer images and epochs (a smoke run, not evidence).
    private static RealSchedule CpuQuick()
    {
        var d = CpuDefault();
        return d with
        {
            MnistRandBit = d.MnistRandBit with { TrainSize = 5000, TestSize = 2000, Epochs = 3 },
            Cifar10RandBit = d.Cifar10RandBit with { TrainSize = 3000, TestSize = 1000, Epochs = 3 },
            Cifar10BarReference = d.Cifar10BarReference! with { TrainSize = 3000, TestSize = 1000, Epochs = 3 },
            Digits = d.Digits with { TrainSize = 768, TestSize = 400, Epochs = 2 },
            Curve = d.Curve with { TrainSize = 1000, TestSize = 1000, Epochs = 10 },
            Joint = d.Joint with { TrainSize = 3000, TestSize = 1000, Epochs = 3 },
        };
    }

    private static RealSchedule PaperDefault() => new()
    {
        Model = "resnet18", Optimizer = OptimizerKind.Sgd, LearningRate = 0.6, WarmupEpochs = 10,
        MnistRandBit = new() { Dataset = DatasetRegistry.Mnist, TrainSize = 0, TestSize = 0, ValidationSize = 10000, Epochs = 50, BatchSize = 512, Temperature = 0.1, Augment = AugmentPreset.Crop, RandBits = 5 },
        Cifar10RandBit = new() { Dataset = DatasetRegistry.Cifar10, TrainSize = 0, TestSize = 0, ValidationSize = 5000, Epochs = 200, BatchSize = 512, Temperature = 0.5, Augment = AugmentPreset.Simclr, RandBits = 10 },
        Digits = new() { Dataset = DatasetRegistry.DigitsOnBackgrounds, TrainSize = 0, TestSize = 0, ValidationSize = 10000, Epochs = 200, BatchSize = 512, Temperature = 0.5, Augment = AugmentPreset.Simclr },
        Curve = new() { Dataset = DatasetRegistry.Cifar10, Superclasses = true, TrainSize = 0, TestSize = 0, ValidationSize = 5000, Epochs = 200, BatchSize = 512, Temperature = 0.5, Augment = AugmentPreset.Simclr },
        Joint = new() { Dataset = DatasetRegistry.Cifar10, Superclasses = true, TrainSize = 0, TestSize = 0, ValidationSize = 5000, Epochs = 200, BatchSize = 512, Temperature = 0.5, Augment = AugmentPreset.Simclr, RandBits = 10 },
        EmbeddingSizes = [1, 2, 4, 16, 64, 128], Cifar10EmbeddingSizes = [4, 16, 64, 128], ReferenceSizes = [4, 128], Cifar10ReferenceSizes = [4, 128], Betas = [0, 0.25, 0.5, 0.75, 1],
    };

    private static RealSchedule PaperQuick()
    {
        var d = PaperDefault();
        return d.WithEveryPreset(p => p with { TrainSize = p.TrainSize == 0 ? 10000 : p.TrainSize, Epochs = Math.Max(1, p.Epochs / 10) }) with
        {
            WarmupEpochs = 2, EmbeddingSizes = [4, 64, 128], Cifar10EmbeddingSizes = [4, 64, 128], ReferenceSizes = [4], Cifar10ReferenceSizes = [4], Betas = [0, 0.5, 1],
        };
    }

    /// <summary>The schedule for <paramref name="o"/> (scale, quick, epoch multiplier, RandBit override, customisation).</summary>
    public static RealSchedule For(RealRunOptions o)
    {
        RealSchedule s = (o.Scale, o.Quick) switch
        {
            (ScaleKind.Cpu, false) => CpuDefault(),
            (ScaleKind.Cpu, true) => CpuQuick(),
            (ScaleKind.Paper, false) => PaperDefault(),
            (ScaleKind.Paper, true) => PaperQuick(),
            _ => throw ScaleKinds.All.Unknown(o.Scale.ToString()),
        };
        // Round 9 is judged on images no earlier run scored, a held-out carve of the training split (Data/HeldOutCarve);
        // smoke runs read the test images outside round 3's subset, never the carve.
        if (o.Scale == ScaleKind.Cpu && !o.Validation)
            s = s.WithEveryPreset(p => p with { TestSubset = o.Quick ? TestSubsetKind.ExceptRound3 : TestSubsetKind.Round9 });
        if (o.EpochScale != 1)
            s = s.WithEveryPreset(p => p with { Epochs = Math.Max(1, (int)Math.Round(p.Epochs * o.EpochScale)) });
        if (o.RandBits is { } k) s = s.WithEveryPreset(p => p.RandBits > 0 ? p with { RandBits = k } : p);
        return o.Customize?.Invoke(s) ?? s;
    }
}
