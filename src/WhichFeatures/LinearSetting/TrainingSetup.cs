using WhichFeatures.Core;
using WhichFeatures.Losses;

namespace WhichFeatures.LinearSetting;

/// <summary>How to train the linear model f(x) = W x from a small random initialisation.</summary>
public sealed record TrainingSetup
{
    /// <summary>Loss family.</summary>
    public LossFamily Family { get; init; } = LossFamily.Spectral;
    /// <summary>SCL, UCL or joint.</summary>
    public ContrastiveLossKind Kind { get; init; } = ContrastiveLossKind.Scl;
    /// <summary>Joint-loss weight of SCL, in [0, 1].</summary>
    public double Beta { get; init; } = 0.5;
    /// <summary>InfoNCE temperature.</summary>
    public double Temperature { get; init; } = 0.5;
    /// <summary>InfoNCE on L2-normalised embeddings (cosine similarity) when true.</summary>
    public bool Normalize { get; init; } = true;
    /// <summary>Embedding size p.</summary>
    public int P { get; init; } = 3;
    /// <summary>Optimisation steps.</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Learning rate of plain (S)GD.</summary>
    public double LearningRate { get; init; } = 0.05;
    /// <summary>Standard deviation of the Gaussian initialisation of W.</summary>
    public double InitStd { get; init; } = 1e-4;
    /// <summary>Examples per step; 0 = full batch (GD), otherwise mini-batch SGD.</summary>
    public int BatchSize { get; init; }
    /// <summary>
    /// When false, the two views of every training example are drawn once and kept (a fixed training set: with
    /// <see cref="AugmentationModel.Identity"/> the views are the examples themselves); when true, fresh views every step.
    /// </summary>
    public bool FreshViews { get; init; }
    /// <summary>How many log-spaced steps get metrics (plus step 0 and the last step).</summary>
    public int LogPoints { get; init; } = 25;

    /// <summary>Throws <see cref="UserInputException"/> naming the first invalid parameter.</summary>
    public TrainingSetup Validate()
    {
        if (P < 1) throw new UserInputException($"--p (embedding size) must be at least 1, got {P}.");
        if (Steps < 1) throw new UserInputException($"--steps must be at least 1, got {Steps}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new UserInputException($"--lr must be a positive finite number, got {LearningRate}.");
        if (!(InitStd > 0) || double.IsInfinity(InitStd)) throw new UserInputException($"--init-std must be a positive finite number, got {InitStd}.");
        if (BatchSize < 0) throw new UserInputException($"--batch must be ≥ 0 (0 = full batch), got {BatchSize}.");
        if (!(Beta >= 0 && Beta <= 1)) throw new UserInputException($"--beta must be in [0, 1], got {Beta}.");
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) throw new UserInputException($"--tau must be a positive finite number, got {Temperature}.");
        if (LogPoints < 1) throw new UserInputException($"log points must be at least 1, got {LogPoints}.");
        return this;
    }

    /// <summary>Short description, e.g. "spectral SCL, full-batch GD, fixed training set".</summary>
    public string Describe()
    {
        string fam = Family == LossFamily.Spectral ? "spectral" : $"InfoNCE ({(Normalize ? "normalised" : "unnormalised")}, tau {Temperature})";
        string kind = Kind == ContrastiveLossKind.Joint ? $"joint (beta {Beta})" : Kind.ToString().ToUpperInvariant();
        string opt = BatchSize == 0 ? "full-batch GD" : $"mini-batch SGD (batch {BatchSize})";
        return $"{fam} {kind}, {opt}, lr {LearningRate}, {Steps} steps, init std {InitStd}, p {P}, {(FreshViews ? "fresh views every step" : "fixed training views")}";
    }
}
