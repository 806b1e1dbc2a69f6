using static TorchSharp.torch;

namespace WhichFeatures.Tests.Theory;

/// <summary>Copies a 2-D tensor into a plain array, for naive loop references.</summary>
internal static class TensorMatrix
{
    /// <summary>The [r, c] tensor <paramref name="t"/> as a float64 array.</summary>
    public static double[,] ToArray(Tensor t)
    {
        var d = t.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int r = (int)t.shape[0], c = (int)t.shape[1];
        var a = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) a[i, j] = d[i * c + j];
        return a;
    }
}
