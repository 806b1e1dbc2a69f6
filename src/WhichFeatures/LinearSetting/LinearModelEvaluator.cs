using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.LinearSetting;

/// <summary>Computes <see cref="ModelMetrics"/> for a linear encoder f(x) = W x, and rotation-free distances between encoders.</summary>
public static class LinearModelEvaluator
{
    /// <summary>Measures <paramref name="w"/> [p, d] on the training and test samples.</summary>
    public static ModelMetrics Evaluate(Tensor w, SyntheticDataset train, SyntheticDataset test, double trainingLoss = double.NaN)
    {
        using var scope = NewDisposeScope();
        var c = train.Config;
        var l = train.Layout;
        w = w.detach().to_type(ScalarType.Float64);
        double Block(int start, int dims) => dims == 0 ? double.NaN : w[.., start..(start + dims)].norm().ToDouble();
        double classW = Block(l.ClassStart, l.ClassDims) / Math.Sqrt(l.ClassDims);
        double subW = l.SubclassDims > 0 ? Block(l.SubclassStart, l.SubclassDims) / Math.Sqrt(l.SubclassDims) : double.NaN;
        double easyW = l.EasyDims > 0 ? Enumerable.Range(0, l.EasyDims).Average(j => Block(l.EasyStart + j, 1)) : double.NaN;
        double divW = l.DiverseDims > 0 ? Block(l.DiverseStart, l.DiverseDims) : 0;
        double noiseW = Block(l.NoiseStart, l.NoiseDims);

        var zTest = test.X.matmul(w.t());                                                           // [nTest, p]
        var zTrain = train.X.matmul(w.t());                                                         // [n, p]
        double rms = Math.Sqrt(zTest.pow(2).sum(1).mean().ToDouble());
        double Share(double weight, double strength) => rms > 0 ? weight * strength / rms : 0;

        long half = test.Count / 2;
        var fitZ = zTest[..(int)half];
        var evalZ = zTest[(int)half..];
        double Probe(Tensor labels, int classes) =>
            LinearDiscriminantProbe.Accuracy(fitZ, labels[..(int)half], evalZ, labels[(int)half..], classes);
        int fine = c.Classes * c.SubclassesPerClass;
        bool hasSub = c.SubclassesPerClass > 1;
        double easyAcc = l.EasyDims > 0
            ? Enumerable.Range(0, l.EasyDims).Average(j => Probe(test.EasyLabels[.., j], 2))
            : double.NaN;

        return new ModelMetrics
        {
            ClassWeight = classW,
            SubclassWeight = subW,
            EasyWeight = easyW,
            DiverseWeight = divW,
            NoiseWeight = noiseW,
            TotalNorm = w.norm().ToDouble(),
            ClassShare = Share(classW, c.ClassStrength),
            SubclassShare = hasSub ? Share(subW, c.SubclassStrength) : double.NaN,
            EasyShare = l.EasyDims > 0 ? Share(easyW, c.EasyStrength) : double.NaN,
            TestClassAccuracy = Probe(test.ClassLabels, c.Classes),
            TestSubclassAccuracy = hasSub ? Probe(test.SubclassLabels, fine) : double.NaN,
            TestEasyAccuracy = easyAcc,
            TrainClassAccuracy = LinearDiscriminantProbe.Accuracy(zTrain, train.ClassLabels, zTrain, train.ClassLabels, c.Classes),
            TrainSubclassAccuracy = hasSub ? LinearDiscriminantProbe.Accuracy(zTrain, train.SubclassLabels, zTrain, train.SubclassLabels, fine) : double.NaN,
            SubclassSeparation = hasSub ? SubclassSeparation(zTest, test.ClassLabels, test.SubclassLabels, c.Classes, fine) : double.NaN,
            TrainingLoss = trainingLoss,
        };
    }

    /// <summary>
    /// Fraction of within-class variance explained by the subclass, averaged over classes:
    /// Σ_s n_s‖μ_s − μ_c‖² / Σ_{i∈c} ‖z_i − μ_c‖² (0 when a class has no spread).
    /// </summary>
    public static double SubclassSeparation(Tensor z, Tensor classLabels, Tensor fineLabels, int classes, int fineCount)
    {
        using var scope = NewDisposeScope();
        z = z.to_type(ScalarType.Float64);
        double total = 0;
        for (int k = 0; k < classes; k++)
        {
            var mask = classLabels.eq(k);
            var zc = z[mask];                                                                      // [n_c, p]
            if (zc.shape[0] < 2) continue;
            var fc = fineLabels[mask];
            var mu = zc.mean(new long[] { 0 });                                                    // [p]
            double within = (zc - mu).pow(2).sum().ToDouble();
            if (!(within > 0)) continue;
            var oh = nn.functional.one_hot(fc, fineCount).to_type(ScalarType.Float64);             // [n_c, F]
            var cnt = oh.sum(dim: 0);                                                                   // [F]
            var mus = oh.t().matmul(zc) / cnt.clamp_min(1).unsqueeze(1);                           // [F, p]
            double between = (cnt * (mus - mu).pow(2).sum(1)).sum().ToDouble();
            total += between / within;
        }
        return total / classes;
    }

    /// <summary>
    /// Rotation-free distance of two encoders on the same inputs: ‖Z₁Z₁ᵀ − Z₂Z₂ᵀ‖_F / ‖Z₂Z₂ᵀ‖_F with Z = X Wᵀ
    /// (<paramref name="wReference"/> is the denominator's encoder, e.g. the min-norm solution).
    /// </summary>
    public static double GramDistance(Tensor w, Tensor wReference, Tensor x)
    {
        using var scope = NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        var z1 = x64.matmul(w.detach().to_type(ScalarType.Float64).t());                          // [N, p]
        var z2 = x64.matmul(wReference.detach().to_type(ScalarType.Float64).t());                 // [N, p']
        var g1 = z1.matmul(z1.t());                                                                 // [N, N]
        var g2 = z2.matmul(z2.t());                                                                 // [N, N]
        return ((g1 - g2).norm() / g2.norm().clamp_min(1e-300)).ToDouble();
    }
}
