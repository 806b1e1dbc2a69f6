using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// The features one encoder gives the rows of a diagnosis: the encoder under diagnosis, or its reference. Both
/// share the rows, the attributes and the splits, so their readouts can be compared row for row.
/// </summary>
/// <param name="Name">"embeddings", or what the reference is.</param>
/// <param name="Train">[N, D] features of the training rows.</param>
/// <param name="Test">[M, D] features of the test rows, or null under k-fold.</param>
public sealed record Embedding(string Name, Tensor Train, Tensor? Test)
{
    /// <summary>Features of <paramref name="split"/>'s training and test rows: ([n, D], [m, D]).</summary>
    public (Tensor Train, Tensor Test) Rows(EvaluationSplit split) =>
        (Train.index_select(0, tensor(split.TrainRows)), (Test ?? Train).index_select(0, tensor(split.TestRows)));
}
