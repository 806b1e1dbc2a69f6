namespace WhichFeatures.Data;

/// <summary>
/// Which images of a test split a run may score (<see cref="DatasetLoadOptions.TestSubset"/>). Named subsets exist for
/// the splits the real suite's earlier rounds scored (MNIST, CIFAR-10, and digits on backgrounds built from both);
/// see <see cref="Round3TestSubset"/>. Round 4, with the test splits used up, scores a held-out carve of the training
/// split instead (<see cref="HeldOutCarve"/>), and so do rounds 5 to 9, each with a carve that avoids the earlier rounds'.
/// </summary>
public enum TestSubsetKind
{
    /// <summary>The whole test split (what every run read before round 3, and every dataset without a named subset).</summary>
    All,

    /// <summary>Round 3's fresh subset: test images no earlier run of the real suite scored (<see cref="Round3TestSubset"/>).</summary>
    Round3,

    /// <summary>Every test image except round 3's subset: for smoke runs, which must not read the fresh images.</summary>
    ExceptRound3,

    /// <summary>
    /// Round 4: not the test split but a carve of the training split that no earlier run scored, held out of training
    /// (<see cref="HeldOutCarve.Round4"/>); the test split is not read.
    /// </summary>
    Round4,

    /// <summary>
    /// Round 5: a carve of the training split that neither the pilots nor round 4 scored, held out of training
    /// (<see cref="HeldOutCarve.Round5"/>); the test split is not read.
    /// </summary>
    Round5,

    /// <summary>
    /// Round 6: a carve of the training split that neither the pilots nor rounds 4 and 5 scored, held out of training
    /// (<see cref="HeldOutCarve.Round6"/>); the test split is not read.
    /// </summary>
    Round6,

    /// <summary>
    /// Round 7: a carve of the training split that neither the pilots nor rounds 4 to 6 scored, held out of training
    /// (<see cref="HeldOutCarve.Round7"/>); the test split is not read.
    /// </summary>
    Round7,

    /// <summary>
    /// Round 8: a carve of the training split that neither the pilots nor rounds 4 to 7 scored, held out of training
    /// (<see cref="HeldOutCarve.Round8"/>); the test split is not read.
    /// </summary>
    Round8,

    /// <summary>
    /// Round 9: a carve of the training split that neither the pilots nor rounds 4 to 8 scored, held out of training
    /// (<see cref="HeldOutCarve.Round9"/>); the test split is not read.
    /// </summary>
    Round9,
}
