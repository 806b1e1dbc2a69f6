namespace WhichFeatures.Evaluation;

/// <summary>One label's offline probe: train and test accuracy of a linear classifier fitted on the train features.</summary>
/// <param name="Label">The label set probed.</param>
/// <param name="Classes">Its number of classes.</param>
/// <param name="TrainAccuracy">Accuracy on the features it was fitted on.</param>
/// <param name="TestAccuracy">Accuracy on the held-out features.</param>
public sealed record ProbeScore(string Label, int Classes, double TrainAccuracy, double TestAccuracy);
