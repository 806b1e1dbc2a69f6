using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// The projection head g: none (identity), Linear(p, q), or the SimCLR / SupContrast MLP Linear(p, p) - ReLU -
/// Linear(p, q). No normalisation here: the loss L2-normalises the projection itself.
/// </summary>
public sealed class ProjectionHead : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> head;

    /// <summary>Creates the head.</summary>
    /// <param name="kind">none, linear or mlp.</param>
    /// <param name="inputSize">Representation size p.</param>
    /// <param name="outputSize">Projection size q (ignored for <see cref="ProjectionHeadKind.None"/>).</param>
    public ProjectionHead(ProjectionHeadKind kind, long inputSize, long outputSize) : base(nameof(ProjectionHead))
    {
        Kind = kind;
        OutputSize = kind == ProjectionHeadKind.None ? inputSize : outputSize;
        head = kind switch
        {
            ProjectionHeadKind.None => nn.Identity(),
            ProjectionHeadKind.Linear => nn.Linear(inputSize, outputSize),
            ProjectionHeadKind.Mlp => nn.Sequential(nn.Linear(inputSize, inputSize), new Relu(), nn.Linear(inputSize, outputSize)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown head kind"),
        };
        RegisterComponents();
    }

    /// <summary>The head's kind.</summary>
    public ProjectionHeadKind Kind { get; }
    /// <summary>Size of the projection it outputs.</summary>
    public long OutputSize { get; }

    /// <summary>[B, p] -> [B, q].</summary>
    /// <param name="representation">The encoder output.</param>
    public override Tensor forward(Tensor representation) => head.call(representation);
}
