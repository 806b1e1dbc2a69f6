using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// What the verdicts of a diagnosis compare with: embeddings of the same rows by a reference encoder (the same
/// architecture at random initialisation, or a baseline the user gives), read exactly as the embeddings are.
/// Without one, verdicts compare with chance and say so.
/// </summary>
/// <param name="Kind">Random initialisation or a baseline.</param>
/// <param name="Source">Where the reference came from, for reports.</param>
/// <param name="Train">[N, D'] reference features of the training rows (owned by the caller).</param>
/// <param name="Test">[M, D'] of the test rows, or null under k-fold.</param>
public sealed record DiagnosisReference(ReferenceKind Kind, string Source, Tensor Train, Tensor? Test)
{
    /// <summary>Checks that the reference has the rows of the embeddings it is compared with.</summary>
    public DiagnosisReference Check(LabelledEmbeddings train, LabelledEmbeddings? test)
    {
        if (Train.dim() != 2 || Train.shape[0] != train.Count)
            throw new Core.UserInputException($"{Source}: the reference needs one row per embedding row ({train.Count}), got shape [{string.Join(", ", Train.shape)}].");
        if ((test is null) != (Test is null))
            throw new Core.UserInputException($"{Source}: give the reference for the test rows exactly when the embeddings have test rows.");
        if (test is not null && (Test!.dim() != 2 || Test.shape[0] != test.Count))
            throw new Core.UserInputException($"{Source}: the test reference needs one row per test embedding row ({test.Count}), got shape [{string.Join(", ", Test.shape)}].");
        return this;
    }
}
