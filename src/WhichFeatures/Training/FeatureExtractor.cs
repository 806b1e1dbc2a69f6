using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>
/// Frozen features of a whole split, without augmentation: the representation (the encoder output, before the
/// projection head; what the probes read) and, on request, the projection (the head's output; what the loss reads).
/// </summary>
public static class FeatureExtractor
{
    /// <summary>
    /// The representations of <paramref name="data"/> with its labels and class counts, ready for
    /// <see cref="ProbeSuite"/>.
    /// </summary>
    public static FeatureSet Extract(ContrastiveModel model, ModelInput input, ImageDataset data, Device device) =>
        Labelled(data, Representations(model, input, data, device));

    /// <summary>
    /// The representations and the projections of <paramref name="data"/> from one pass of the model, each with the
    /// split's labels and class counts (for head none both hold the same values).
    /// </summary>
    public static (FeatureSet Representation, FeatureSet Projection) ExtractWithProjection(ContrastiveModel model, ModelInput input, ImageDataset data, Device device)
    {
        var (h, z) = Run(model, input, data, device, withProjection: true);
        return (Labelled(data, h), Labelled(data, z!));
    }

    /// <summary><paramref name="features"/> [N, p] of <paramref name="data"/> with its labels and class counts.</summary>
    public static FeatureSet Labelled(ImageDataset data, Tensor features) =>
        new(data.Name, features, data.Labels, data.Labels.Keys.ToDictionary(k => k, k => data.NumClasses(k)));

    /// <summary>Runs the model in eval mode over <paramref name="data"/> and returns [N, p] float32 on the CPU.</summary>
    public static Tensor Representations(ContrastiveModel model, ModelInput input, ImageDataset data, Device device, int batchSize = 512) =>
        Run(model, input, data, device, withProjection: false, batchSize).Representation;

    // The one extraction loop: eval mode, no gradients, batches of batchSize; the head runs only when asked for.
    // Returns representations [N, p] and (withProjection) projections [N, q], float32 on the CPU.
    private static (Tensor Representation, Tensor? Projection) Run(ContrastiveModel model, ModelInput input, ImageDataset data, Device device, bool withProjection, int batchSize = 512)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var hParts = new List<Tensor>();
            var zParts = new List<Tensor>();
            for (long s = 0; s < data.Count; s += batchSize)
            {
                using var scope = NewDisposeScope();
                long m = Math.Min(batchSize, data.Count - s);
                var x = ImageTensors.ToFloat(data.Images.narrow(0, s, m).to(device));           // [m, C, H, W]
                var extra = data.ExtraChannels?.narrow(0, s, m);                                 // [m, k]
                var prepared = input.Prepare(x, extra);                                          // [m, C + k, H, W]
                if (withProjection)
                {
                    var (h, z) = model.forward(prepared);                                        // [m, p], [m, q]
                    hParts.Add(h.to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
                    zParts.Add(z.to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
                }
                else
                    hParts.Add(model.Represent(prepared).to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope());   // [m, p]
            }
            var representation = cat(hParts, 0);                                                 // [N, p]
            var projection = withProjection ? cat(zParts, 0) : null;                             // [N, q]
            foreach (var p in hParts.Concat(zParts)) p.Dispose();
            return (representation, projection);
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
