using static TorchSharp.torch;

namespace WhichFeatures.Diagnosis;

/// <summary>
/// Embeddings of N examples and their attributes: what <c>diagnose</c> analyses, from whichever source
/// (a file, an ONNX encoder, a train run, the theory lab). Owns <see cref="Features"/>.
/// </summary>
public sealed class LabelledEmbeddings : IDisposable
{
    /// <summary>Takes ownership of <paramref name="features"/> [N, D] float32 on the CPU.</summary>
    public LabelledEmbeddings(string source, Tensor features, IReadOnlyList<AttributeColumn> attributes)
    {
        if (features.dim() != 2) throw new ArgumentException($"{source}: embeddings must be [N, D], got {features.dim()} dimensions");
        foreach (var a in attributes)
            if (a.Codes.Length != features.shape[0])
                throw new ArgumentException($"{source}: attribute '{a.Name}' has {a.Codes.Length} rows, embeddings have {features.shape[0]}");
        Source = source;
        Features = features.DetachFromDisposeScope();
        Attributes = attributes;
    }

    /// <summary>Where the embeddings came from (a file name, "onnx:...", "run:...").</summary>
    public string Source { get; }
    /// <summary>[N, D] float32.</summary>
    public Tensor Features { get; }
    /// <summary>Attributes, in column order.</summary>
    public IReadOnlyList<AttributeColumn> Attributes { get; }
    /// <summary>N.</summary>
    public long Count => Features.shape[0];
    /// <summary>D.</summary>
    public long Dimensions => Features.shape[1];

    /// <summary>The attribute called <paramref name="name"/>, or null.</summary>
    public AttributeColumn? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <inheritdoc />
    public void Dispose() => Features.Dispose();
}
