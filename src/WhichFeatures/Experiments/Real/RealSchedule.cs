namespace WhichFeatures.Experiments.Real;

/// <summary>
/// The sizes every real-data run uses at one scale: model, subsets, epochs, batch, optimiser settings and the
/// sweeps. Fixed before running (never tuned on the test split).
/// </summary>
public sealed record RealSchedule
{
    /// <summary>Encoder: convnet or resnet18.</summary>
    public required string Model { get; init; }
    /// <summary>Training examples per run (0 = all), stratified with the run's seed.</summary>
    public required int TrainSize { get; init; }
    /// <summary>Test examples per run (0 = all).</summary>
    public required int TestSize { get; init; }
    /// <summary>Epochs of the end-of-training experiments (embedding, joint, digits).</summary>
    public required int Epochs { get; init; }
    /// <summary>Epochs of the class-collapse-over-training experiment (evaluated every epoch).</summary>
    public required int CurveEpochs { get; init; }
    /// <summary>Examples per batch.</summary>
    public required int BatchSize { get; init; }
    /// <summary>Peak SGD learning rate (linear scaling: 0.3 x batch / 256).</summary>
    public required double LearningRate { get; init; }
    /// <summary>Warm-up epochs of the cosine schedule.</summary>
    public required int WarmupEpochs { get; init; }
    /// <summary>RandBit bits k (per preset about 40-50 training images per bit pattern, like k = 10 on full CIFAR-10).</summary>
    public required int RandBits { get; init; }
    /// <summary>Embedding sizes of the feature-suppression sweep.</summary>
    public required int[] EmbeddingSizes { get; init; }
    /// <summary>Embedding sizes also trained without RandBit (k = 0 reference).</summary>
    public required int[] ReferenceSizes { get; init; }
    /// <summary>Joint-loss weights of the beta sweep (0 = UCL, 1 = SCL are the plain losses).</summary>
    public required double[] Betas { get; init; }
    /// <summary>The beta of "joint" in the SCL / UCL / joint comparison.</summary>
    public double JointBeta { get; init; } = 0.5;
    /// <summary>InfoNCE temperature.</summary>
    public double Temperature { get; init; } = 0.5;
    /// <summary>Iterations of the offline L-BFGS linear probe.</summary>
    public int ProbeIterations { get; init; } = 100;

    /// <summary>One line for reports; <paramref name="randBits"/> says whether the runs append RandBit channels.</summary>
    public string Describe(bool randBits = true) =>
        $"{Model}, train {(TrainSize == 0 ? "all" : TrainSize.ToString())} / test {(TestSize == 0 ? "all" : TestSize.ToString())} images, " +
        $"{Epochs} epochs ({CurveEpochs} for the per-epoch curves), batch {BatchSize}, SGD lr {LearningRate:g3} momentum 0.9 wd 1e-4, " +
        $"warm-up {WarmupEpochs} + cosine, temperature {Temperature:g3}, MLP head 128" + (randBits ? $", RandBit k = {RandBits}" : "");
}
