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
    /// <summary>Learning rate used by the epoch's last optimiser step (the schedule is per step).</summary>
    public double LearningRate { get; init; }
    /// <summary>Wall seconds of the epoch's training steps (evaluation excluded).</summary>
    public double Seconds { get; init; }
    /// <summary>Training images per second (each image gives two views).</summary>
    public double ImagesPerSecond { get; init; }
    /// <summary>Online probe accuracy on the test split, per label (NaN when not evaluated this epoch).</summary>
    public Dictionary<string, double> OnlineTestAccuracy { get; init; } = [];
    /// <summary>
    /// Test accuracy of a fresh offline linear probe fitted on this epoch's frozen features, keyed
    /// <see cref="OfflineProbeCurve.Key"/> ("encoder/&lt;label&gt;", "projection/&lt;label&gt;"); empty when not evaluated
    /// this epoch (see <see cref="TrainConfig.OfflineProbeEvery"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, double> OfflineTestAccuracy { get; init; } = [];

    // The JSON form of OfflineTestAccuracy: left out when empty (off, or not this epoch), so results.json and the
    // checkpoints' history carry no empty objects; a missing field reads back as empty.
    [System.Text.Json.Serialization.JsonInclude]
    [System.Text.Json.Serialization.JsonPropertyName("offlineTestAccuracy")]
    private Dictionary<string, double>? OfflineTestAccuracyJson
    {
        get => OfflineTestAccuracy.Count == 0 ? null : OfflineTestAccuracy;
        init => OfflineTestAccuracy = value ?? [];
    }
    /// <summary>"ok", or the problems <see cref="TrainingHealth"/> found this epoch, separated by ';'.</summary>
    public string Health { get; init; } = TrainingHealth.Ok;
    /// <summary>The loss when all similarities are equal (ln(2B - 1)); the reference of the health check.</summary>
    public double UniformLoss { get; init; } = double.NaN;
    /// <summary>kNN accuracy of the class label on the test split (NaN when not evaluated).</summary>
    public double KnnClassAccuracy { get; init; } = double.NaN;
    /// <summary>Process resident memory at the epoch's end, MB.</summary>
    public double RssMegabytes { get; init; }
}
