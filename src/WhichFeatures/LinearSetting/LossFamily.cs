using WhichFeatures.Core;

namespace WhichFeatures.LinearSetting;

/// <summary>Which contrastive loss family trains the linear model.</summary>
public enum LossFamily
{
    /// <summary>Spectral contrastive loss (HaoChen et al.), hand-written gradient.</summary>
    Spectral,
    /// <summary>InfoNCE / SupCon L_out via <see cref="Losses.InfoNceLoss"/>, autograd.</summary>
    InfoNce,
}

/// <summary>The <c>theory --loss</c> choices.</summary>
public static class LossFamilies
{
    /// <summary>The definition CLI help and parsing read: spectral, infonce (also info-nce).</summary>
    public static ChoiceSet<LossFamily> All { get; } = new("--loss", "loss family",
        new("spectral", LossFamily.Spectral, "spectral contrastive loss"),
        new("infonce", LossFamily.InfoNce, "InfoNCE / SupCon", "info-nce"));
}
