namespace WhichFeatures.Models;

/// <summary>
/// How a CPU model's convolutions run: whether libtorch may use its oneDNN kernels. Listed fastest first;
/// <see cref="ConvolutionPathCheck"/> takes the first allowed one that computes the model's function. Channels-last input is not a
/// candidate: on AVX-512 CPUs its oneDNN kernels gave gradients 1e-3 to 0.4 off float64 at training batch sizes
/// (docs/robustness.md, "Convolution kernels that compute another function").
/// </summary>
public enum ConvolutionPath
{
    /// <summary>NCHW input, oneDNN's kernels: the fast path.</summary>
    Contiguous,
    /// <summary>NCHW input, oneDNN switched off for the process (<see cref="OneDnn"/>): ATen's own kernels, 2-4x slower.</summary>
    ContiguousWithoutOneDnn,
}

/// <summary>Names of <see cref="ConvolutionPath"/> values as reports and results.json print them.</summary>
public static class ConvolutionPaths
{
    /// <summary>"oneDNN" or "oneDNN off".</summary>
    public static string Describe(this ConvolutionPath path) => path == ConvolutionPath.Contiguous ? "oneDNN" : "oneDNN off";
}
