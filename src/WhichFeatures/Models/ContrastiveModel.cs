using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Models;

/// <summary>
/// Encoder f plus projection head g. <c>forward</c> returns both the representation f(x) (what the linear probes
/// and kNN read) and the projection g(f(x)) (what the contrastive loss reads).
/// </summary>
/// <remarks>
/// f = backbone (global-average-pooled) followed, when <see cref="ModelConfig.EmbeddingSize"/> differs from the
/// backbone width, by a Linear(width, p) without activation. With no head the projection is the representation.
/// </remarks>
public sealed class ContrastiveModel : nn.Module<Tensor, (Tensor Representation, Tensor Projection)>
{
    private readonly Backbone backbone;
    private readonly nn.Module<Tensor, Tensor> embedding;
    private readonly ProjectionHead head;

    /// <summary>Assembles the model from its parts.</summary>
    /// <param name="config">The configuration it was built from (kept for checkpoints and reports).</param>
    /// <param name="backbone">The convolutional trunk.</param>
    /// <param name="embeddingSize">Representation size; a linear layer is added when it differs from the backbone width.</param>
    /// <param name="head">The projection head.</param>
    public ContrastiveModel(ModelConfig config, Backbone backbone, long embeddingSize, ProjectionHead head) : base(nameof(ContrastiveModel))
    {
        Config = config;
        this.backbone = backbone;
        embedding = embeddingSize == backbone.OutputSize ? nn.Identity() : nn.Linear(backbone.OutputSize, embeddingSize);
        this.head = head;
        RepresentationSize = embeddingSize;
        RegisterComponents();
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }
    /// <summary>The convolutional trunk.</summary>
    public Backbone Backbone => backbone;
    /// <summary>The projection head.</summary>
    public ProjectionHead Head => head;
    /// <summary>Size of the representation (encoder output).</summary>
    public long RepresentationSize { get; }
    /// <summary>Size of the projection (loss input).</summary>
    public long ProjectionSize => head.OutputSize;

    /// <summary>Encoder only: [B, C, H, W] -> representation [B, p] (skips the head; use for probes).</summary>
    /// <param name="images">Images with any extra channels.</param>
    public Tensor Represent(Tensor images)
    {
        using var scope = NewDisposeScope();
        return embedding.call(backbone.call(images)).MoveToOuterDisposeScope();  // [B, p]
    }

    /// <summary>[B, C, H, W] -> (representation [B, p], projection [B, q]).</summary>
    /// <param name="images">Images with any extra channels.</param>
    public override (Tensor Representation, Tensor Projection) forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var representation = embedding.call(backbone.call(images));               // [B, p]
        var projection = head.call(representation);                               // [B, q]
        if (head.Kind == ProjectionHeadKind.None) projection = projection.alias(); // two handles, one each to dispose
        return (representation.MoveToOuterDisposeScope(), projection.MoveToOuterDisposeScope());
    }
}
