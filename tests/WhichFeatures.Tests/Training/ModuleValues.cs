using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>A module's floating-point tensors (parameters and buffers) as raw floats, to compare runs bit for bit.</summary>
internal static class ModuleValues
{
    /// <summary>Every floating-point tensor of <paramref name="state"/> (a state_dict), by name, as float32 values.</summary>
    public static Dictionary<string, float[]> Of(IDictionary<string, Tensor> state) =>
        state.Where(kv => kv.Value.is_floating_point()).ToDictionary(kv => kv.Key, kv => kv.Value.contiguous().to_type(ScalarType.Float32).data<float>().ToArray());

    /// <summary>Same names and bit-identical values.</summary>
    public static bool Identical(Dictionary<string, float[]> a, Dictionary<string, float[]> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && kv.Value.AsSpan().SequenceEqual(v));
}
