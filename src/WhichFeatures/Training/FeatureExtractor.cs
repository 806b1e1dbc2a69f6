using WhichFeatures.Augmentation;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Models;
using static TorchSharp.torch;

namespace WhichFeatures.Training;

/// <summary>Representations (the encoder output, before the projection head) of a whole split, without augmentation.</summary>
public static class FeatureExtractor
{
    /// <summary>
    /// The representations of <paramref name="data"/> with its labels and class counts, ready for
    /// <see cref="ProbeSuite"/>.
    /// </summary>
    public static FeatureSet Extract(ContrastiveModel model, ModelInput input, ImageDataset data, Device device) =>
        Labelled(data, Representations(model, input, data, device));

    /// <summary><paramref name="features"/> [N, p] of <paramref name="data"/> with its labels and class counts.</summary>
    public static FeatureSet Labelled(ImageDataset data, Tensor features) =>
        new(data.Name, features, data.Labels, data.Labels.Keys.ToDictionary(k => k, k => data.NumClasses(k)));

    /// <summary>Runs the model in eval mode over <paramref name="data"/> and returns [N, p] float32 on the CPU.</summary>
    public static Tensor Representations(ContrastiveModel model, ModelInput input, ImageDataset data, Device device, int batchSize = 512)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            var parts = new List<Tensor>();
            for (long s = 0; s < data.Count; s += batchSize)
            {
                using var scope = NewDisposeScope();
                long m = Math.Min(batchSize, data.Count - s);
                var x = ImageTensors.ToFloat(data.Images.narrow(0, s, m).to(device));           // [m, C, H, W]
                var extra = data.ExtraChannels?.narrow(0, s, m);                                 // [m, k]
                var h = model.Represent(input.Prepare(x, extra));                                // [m, p]
                parts.Add(h.to_type(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
            }
            var all = cat(parts, 0);                                                             // [N, p]
            foreach (var p in parts) p.Dispose();
            return all;
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
