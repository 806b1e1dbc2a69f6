namespace WhichFeatures.Losses;

/// <summary>Which contrastive objective to train with (docs/paper.md §2).</summary>
public enum ContrastiveLossKind
{
    /// <summary>Unsupervised CL (SimCLR NT-Xent): positives are the other view of the same example.</summary>
    Ucl,
    /// <summary>Supervised CL (SupCon L_out): positives are all other views with the same class label.</summary>
    Scl,
    /// <summary>beta * SCL + (1 - beta) * UCL.</summary>
    Joint,
}
