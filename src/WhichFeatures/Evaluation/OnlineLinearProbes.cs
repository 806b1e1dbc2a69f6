using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace WhichFeatures.Evaluation;

/// <summary>
/// One linear classifier per label, trained during contrastive training on DETACHED representations
/// (solo-learn's online probe): a cheap per-epoch curve of what the encoder currently keeps. Class collapse
/// shows up here as a subclass curve that rises and then falls.
/// </summary>
public sealed class OnlineLinearProbes : nn.Module
{
    private readonly ModuleDict<Linear> _heads;

    /// <summary>Creates a probe for each (label, number of classes).</summary>
    public OnlineLinearProbes(int featureDim, IReadOnlyDictionary<string, int> labelClasses) : base(nameof(OnlineLinearProbes))
    {
        if (featureDim < 1) throw new ArgumentOutOfRangeException(nameof(featureDim));
        _heads = new ModuleDict<Linear>();
        foreach (var (label, k) in labelClasses.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            _heads.Add(label, nn.Linear(featureDim, Math.Max(k, 2)));
        Labels = labelClasses.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        RegisterComponents();
    }

    /// <summary>Labels probed, in a stable order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Sum of the cross-entropy losses of every probe on <paramref name="features"/> (detached here) [B, D].</summary>
    public Tensor Loss(Tensor features, IReadOnlyDictionary<string, Tensor> labels)
    {
        var f = features.detach();                                                     // [B, D]
        Tensor? total = null;
        foreach (var name in Labels)
        {
            var l = nn.functional.cross_entropy(_heads[name].forward(f), labels[name]);
            total = total is null ? l : total + l;
        }
        return total!;
    }

    /// <summary>Accuracy of each probe on (features, labels), computed in chunks without gradients.</summary>
    public Dictionary<string, double> Accuracy(Tensor features, IReadOnlyDictionary<string, Tensor> labels, int chunk = 2048)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var correct = Labels.ToDictionary(l => l, _ => 0L);
        long n = features.shape[0];
        for (long s = 0; s < n; s += chunk)
        {
            long m = Math.Min(chunk, n - s);
            var f = features.narrow(0, s, m);
            foreach (var name in Labels)
                correct[name] += _heads[name].forward(f).argmax(1).eq(labels[name].narrow(0, s, m)).sum().ToInt64();
        }
        return Labels.ToDictionary(l => l, l => n == 0 ? double.NaN : (double)correct[l] / n);
    }
}
