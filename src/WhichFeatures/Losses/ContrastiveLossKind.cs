using WhichFeatures.Core;

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

/// <summary>The <c>--loss</c> choices: names stored in config.json (ucl, scl, joint) and CLI aliases.</summary>
public static class ContrastiveLossKinds
{
    /// <summary>The definition CLI help, parsing and validation read.</summary>
    public static ChoiceSet<ContrastiveLossKind> All { get; } = new("--loss", "loss",
        new("ucl", ContrastiveLossKind.Ucl, "SimCLR", "simclr"),
        new("scl", ContrastiveLossKind.Scl, "SupCon on class", "supcon"),
        new("joint", ContrastiveLossKind.Joint, "beta * SCL + (1 - beta) * UCL"));
}
