namespace WhichFeatures.Bench;

/// <summary>
/// Analytic FLOP counts of the conv and linear layers of our encoders on 32x32 RGB input (2 FLOP per multiply-add;
/// BatchNorm, ReLU, pooling and the loss are not counted). A training step costs forward + backward, where the
/// backward of a layer is a grad-input and a grad-weight product of the forward's size each, except the first conv,
/// which needs no grad-input: train = 3 x forward - first conv.
/// </summary>
public static class Flops
{
    /// <summary>Forward FLOP per image.</summary>
    /// <param name="model">convnet or resnet18.</param>
    public static double Forward(string model) => Layers(model).Sum(l => l.Flop);

    /// <summary>Training-step FLOP per image (forward + backward).</summary>
    /// <param name="model">convnet or resnet18.</param>
    public static double Train(string model) => 3 * Forward(model) - Layers(model)[0].Flop;

    /// <summary>Each conv / linear layer with its forward FLOP per image.</summary>
    /// <param name="model">convnet or resnet18.</param>
    public static IReadOnlyList<(string Name, double Flop)> Layers(string model)
    {
        var list = new List<(string, double)>();
        void Conv(string name, int cin, int cout, int k, int hout) => list.Add((name, 2.0 * cin * cout * k * k * hout * hout));
        void Linear(string name, int fin, int fout) => list.Add((name, 2.0 * fin * fout));
        switch (model)
        {
            case "convnet":
                Conv("conv1", 3, 32, 3, 32); Conv("conv2", 32, 64, 3, 16); Conv("conv3", 64, 128, 3, 8); Conv("conv4", 128, 256, 3, 4);
                Linear("head1", 256, 256); Linear("head2", 256, 128);
                break;
            case "resnet18":
                Conv("stem", 3, 64, 3, 32);
                for (int i = 0; i < 4; i++) Conv($"layer1.{i}", 64, 64, 3, 32);
                int cin = 64, side = 32;
                foreach (var (cout, stage) in new[] { (128, 2), (256, 3), (512, 4) })
                {
                    side /= 2;
                    Conv($"layer{stage}.0", cin, cout, 3, side);
                    for (int i = 1; i < 4; i++) Conv($"layer{stage}.{i}", cout, cout, 3, side);
                    Conv($"layer{stage}.shortcut", cin, cout, 1, side);
                    cin = cout;
                }
                Linear("head1", 512, 512); Linear("head2", 512, 128);
                break;
            default: throw new ArgumentException($"unknown model {model}", nameof(model));
        }
        return list;
    }
}
