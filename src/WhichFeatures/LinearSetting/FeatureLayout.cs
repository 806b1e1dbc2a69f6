namespace WhichFeatures.LinearSetting;

/// <summary>Where each feature group lives among the input coordinates (standard basis directions).</summary>
/// <param name="ClassStart">First class coordinate.</param>
/// <param name="ClassDims">Class directions (1 for two classes, K otherwise).</param>
/// <param name="SubclassStart">First subclass coordinate.</param>
/// <param name="SubclassDims">Subclass directions (0 when absent).</param>
/// <param name="EasyStart">First easy-feature coordinate (one per easy bit).</param>
/// <param name="EasyDims">Easy bits (0 when absent).</param>
/// <param name="DiverseStart">First diverse coordinate.</param>
/// <param name="DiverseDims">Diverse dimension m.</param>
/// <param name="NoiseStart">First noise coordinate; noise fills [NoiseStart, D).</param>
/// <param name="D">Input dimension.</param>
public sealed record FeatureLayout(int ClassStart, int ClassDims, int SubclassStart, int SubclassDims, int EasyStart, int EasyDims,
    int DiverseStart, int DiverseDims, int NoiseStart, int D)
{
    /// <summary>Noise coordinates.</summary>
    public int NoiseDims => D - NoiseStart;

    /// <summary>The unit feature direction e_coordinate, [d] float64 (e.g. <c>BasisVector(ClassStart)</c> is u, <c>BasisVector(SubclassStart)</c> is v).</summary>
    public TorchSharp.torch.Tensor BasisVector(int coordinate)
    {
        if (coordinate < 0 || coordinate >= D) throw new ArgumentOutOfRangeException(nameof(coordinate), coordinate, $"coordinate must be in [0, {D})");
        var e = TorchSharp.torch.zeros(D, dtype: TorchSharp.torch.ScalarType.Float64);
        e[coordinate] = 1.0;
        return e;
    }

    /// <summary>The layout of <paramref name="c"/> (not validated).</summary>
    public static FeatureLayout Of(SyntheticDataConfig c)
    {
        int classDims = SyntheticDataConfig.CodeDims(c.Classes);
        int subDims = c.SubclassesPerClass > 1 && c.SubclassStrength > 0 ? SyntheticDataConfig.CodeDims(c.SubclassesPerClass) : 0;
        int easyDims = c.EasyStrength > 0 ? c.EasyCount : 0;
        int diverse = c.DiverseNorm > 0 ? c.DiverseDims : 0;
        int s = 0;
        int classStart = s; s += classDims;
        int subStart = s; s += subDims;
        int easyStart = s; s += easyDims;
        int divStart = s; s += diverse;
        return new FeatureLayout(classStart, classDims, subStart, subDims, easyStart, easyDims, divStart, diverse, s, c.D);
    }
}
