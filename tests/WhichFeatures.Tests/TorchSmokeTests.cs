using WhichFeatures.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace WhichFeatures.Tests;

[Collection("torch")]
public class TorchSmokeTests
{
    [Fact]
    public void LibtorchLoadsAndMultipliesMatrices()
    {
        // Guards the GLIBCXX fix in Directory.Build.targets: if a new package really needs a newer libstdc++, this fails.
        using var a = tensor(new double[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = a.matmul(a);
        Assert.Equal(new double[] { 7, 10, 15, 22 }, b.data<double>().ToArray());
        Assert.Contains(TorchDevice.Default.type, new[] { DeviceType.CPU, DeviceType.CUDA });
    }
}
