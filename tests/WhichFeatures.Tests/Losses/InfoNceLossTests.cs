using TorchSharp;
using WhichFeatures.Core;
using WhichFeatures.Losses;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Losses;

/// <summary>The vectorised InfoNCE / SupCon / joint loss against a naive double loop (lightly's style).</summary>
[Collection("torch")]
public class InfoNceLossTests
{
    /// <summary>Naive reference: anchors over 2N rows, positives = same key, mean over anchors that have one.</summary>
    private static double NaiveKeyed(double[][] z, long[] keys, double tau, bool normalize)
    {
        int m = z.Length;
        var v = z.Select(r => normalize ? Normalize(r) : r).ToArray();
        double total = 0; int anchors = 0;
        for (int i = 0; i < m; i++)
        {
            double denom = 0;
            for (int k = 0; k < m; k++) if (k != i) denom += Math.Exp(Dot(v[i], v[k]) / tau);
            double sum = 0; int count = 0;
            for (int j = 0; j < m; j++)
            {
                if (j == i || keys[j] != keys[i]) continue;
                sum += Math.Log(Math.Exp(Dot(v[i], v[j]) / tau) / denom);
                count++;
            }
            if (count == 0) continue;
            total += -sum / count; anchors++;
        }
        return anchors == 0 ? 0 : total / anchors;
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
    private static double[] Normalize(double[] a) { double n = Math.Sqrt(Dot(a, a)); return a.Select(x => x / n).ToArray(); }

    private static double[][] Rows(Tensor t)
    {
        var d = t.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        int cols = (int)t.shape[1];
        return Enumerable.Range(0, (int)t.shape[0]).Select(r => d.Skip(r * cols).Take(cols).ToArray()).ToArray();
    }

    public static IEnumerable<object[]> Cases() =>
        from n in new[] { 2, 5, 16 }
        from tau in new[] { 0.1, 0.5, 1.0 }
        from normalize in new[] { true, false }
        select new object[] { n, tau, normalize };

    [Theory]
    [MemberData(nameof(Cases))]
    public void UclSclJointMatchNaiveLoop(int n, double tau, bool normalize)
    {
        foreach (var device in TorchDevice.Available)
        {
            manual_seed(n * 100 + (int)(tau * 10));
            using var v1 = randn(n, 4, device: device);
            using var v2 = randn(n, 4, device: device);
            using var labels = randint(0, 3, n, dtype: ScalarType.Int64, device: device);
            var z = Rows(cat(new[] { v1, v2 }));
            var lab = labels.cpu().data<long>().ToArray();
            var uclKeys = Enumerable.Range(0, n).Concat(Enumerable.Range(0, n)).Select(i => (long)i).ToArray();
            var sclKeys = lab.Concat(lab).ToArray();

            double ucl = InfoNceLoss.Ucl(v1, v2, tau, normalize).ToDouble();
            double scl = InfoNceLoss.Scl(v1, v2, labels, tau, normalize).ToDouble();
            double joint = InfoNceLoss.Joint(v1, v2, labels, 0.3, tau, normalize).ToDouble();
            double uclRef = NaiveKeyed(z, uclKeys, tau, normalize), sclRef = NaiveKeyed(z, sclKeys, tau, normalize);
            Assert.Equal(uclRef, ucl, 1e-5 * Math.Max(1, Math.Abs(uclRef)));
            Assert.Equal(sclRef, scl, 1e-5 * Math.Max(1, Math.Abs(sclRef)));
            Assert.Equal(0.3 * sclRef + 0.7 * uclRef, joint, 1e-5 * Math.Max(1, Math.Abs(uclRef)));
        }
    }

    [Fact]
    public void AnchorWithoutPositiveIsSkippedNotNaN()
    {
        // Keyed on single rows: row 2 has a key nobody else has, so it has no positive.
        using var z = tensor(new double[] { 1, 0, 0.5, 0.5, 0, 1, -1, 0.2 }).reshape(4, 2).requires_grad_(true);
        using var keys = tensor(new long[] { 0, 0, 5, 1 });
        var loss = InfoNceLoss.Keyed(z, keys, 0.5, normalize: true);
        loss.backward();
        var reference = NaiveKeyed(Rows(z.detach()), new long[] { 0, 0, 5, 1 }, 0.5, true);
        Assert.Equal(reference, loss.ToDouble(), 1e-9);
        Assert.True(z.grad!.isfinite().all().ToBoolean());

        // No positives anywhere: loss 0, finite gradient.
        using var lonely = tensor(new long[] { 0, 1, 2, 3 });
        var zero = InfoNceLoss.Keyed(z, lonely, 0.5);
        Assert.Equal(0.0, zero.ToDouble());
    }

    [Fact]
    public void JointAtBetaEndpointsEqualsTheParts()
    {
        manual_seed(3);
        using var v1 = randn(8, 3); using var v2 = randn(8, 3);
        using var y = randint(0, 2, 8, dtype: ScalarType.Int64);
        Assert.Equal(InfoNceLoss.Ucl(v1, v2, 0.2).ToDouble(), InfoNceLoss.Joint(v1, v2, y, 0, 0.2).ToDouble(), 1e-6);
        Assert.Equal(InfoNceLoss.Scl(v1, v2, y, 0.2).ToDouble(), InfoNceLoss.Joint(v1, v2, y, 1, 0.2).ToDouble(), 1e-6);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void BetaOutsideUnitIntervalIsRejected(double beta)
    {
        using var v = randn(4, 2);
        using var y = zeros(4, dtype: ScalarType.Int64);
        var e = Assert.Throws<UserInputException>(() => InfoNceLoss.Joint(v, v, y, beta, 0.5));
        Assert.Contains("beta", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void NonPositiveTemperatureIsRejected(double tau)
    {
        using var v = randn(4, 2);
        Assert.Throws<UserInputException>(() => InfoNceLoss.Ucl(v, v, tau));
    }
}
