namespace WhichFeatures.TheoryModel;

/// <summary>Which contrastive loss family trains the linear model.</summary>
public enum LossFamily
{
    /// <summary>Spectral contrastive loss (HaoChen et al.), hand-written gradient.</summary>
    Spectral,
    /// <summary>InfoNCE / SupCon L_out via <see cref="Losses.InfoNceLoss"/>, autograd.</summary>
    InfoNce,
}
