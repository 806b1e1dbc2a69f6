namespace WhichFeatures.Evaluation;

/// <summary>One label's offline probe: train and test accuracy of a linear classifier fitted on the train features.</summary>
/// <param name="Label">The label set probed.</param>
/// <param name="Classes">Its number of classes.</param>
/// <param name="TrainAccuracy">Accuracy on the features it was fitted on.</param>
/// <param name="TestAccuracy">Accuracy on the held-out features.</param>
/// <remarks>Where computed, the label's chance and majority accuracy and the same probe on the random-init encoder
/// (Training/RunBaselines); null fields are left out of the JSON.</remarks>
public sealed record ProbeScore(string Label, int Classes, double TrainAccuracy, double TestAccuracy)
{
    /// <summary>1 / number of training categories.</summary>
    public double? Chance { get; init; }
    /// <summary>Test accuracy of always predicting the training majority.</summary>
    public double? Majority { get; init; }
    /// <summary>Test accuracy of the same probe on the same architecture at its seeded initialisation.</summary>
    public double? RandomInit { get; init; }
}
