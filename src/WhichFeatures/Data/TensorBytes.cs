using static TorchSharp.torch;

namespace WhichFeatures.Data;

/// <summary>
/// Bulk copies between managed byte arrays and uint8 CPU tensors through <see cref="Tensor.bytes"/> (a span over
/// the tensor's memory). Measured here: 47 MB in ~0.09 s, against ~0.5 s for <c>torch.tensor(byte[], shape)</c>
/// and ~1.6 s for <c>data&lt;byte&gt;().ToArray()</c>.
/// </summary>
internal static class TensorBytes
{
    /// <summary>A new uint8 tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (length must match).</summary>
    public static Tensor FromBytes(ReadOnlySpan<byte> data, params long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.Length) throw new ArgumentException($"{data.Length} bytes do not fill shape [{string.Join(", ", shape)}]", nameof(data));
        var t = empty(shape, dtype: ScalarType.Byte);                                            // [shape]
        if (count > 0) data.CopyTo(t.bytes);
        return t;
    }

    /// <summary>The bytes of a uint8 CPU tensor in row-major order (a copy).</summary>
    public static byte[] ToBytes(Tensor t)
    {
        if (t.dtype != ScalarType.Byte || t.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException($"expected a uint8 CPU tensor, got {t.dtype} on {t.device}", nameof(t));
        if (t.numel() == 0) return Array.Empty<byte>();
        using var c = t.contiguous();
        return c.bytes.ToArray();
    }
}
