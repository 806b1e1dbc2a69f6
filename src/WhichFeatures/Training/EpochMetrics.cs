namespace WhichFeatures.Training;

/// <summary>One row of metrics.csv: what one epoch did and what the encoder kept at its end.</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }
    /// <summary>Global optimiser steps completed.</summary>
    public long Step { get; init; }
    /// <summary>Mean contrastive loss over the epoch's steps.</summary>
    public double Loss { get; init; }
    /// <summary>Learning rate at the epoch's last step.</summary>
    public double LearningRate { get; init; }
    /// <summary>Wall seconds of the epoch's training steps (evaluation excluded).</summary>
    public double Seconds { get; init; }
    /// <summary>Training images per second (each image gives two views).</summary>
    public double ImagesPerSecond { get; init; }
    /// <summary>Online probe accuracy on the test split, per label (NaN when not evaluated this epoch).</summary>
    public Dictionary<string, double> OnlineTestAccuracy { get; init; } = [];
    /// <summary>kNN accuracy of the class label on the test split (NaN when not evaluated).</summary>
    public double KnnClassAccuracy { get; init; } = double.NaN;
    /// <summary>Process resident memory at the epoch's end, MB.</summary>
    public double RssMegabytes { get; init; }
}
