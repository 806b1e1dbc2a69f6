using WhichFeatures.Diagnosis;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>NC1, RankMe and the folds against naive loops on small inputs.</summary>
[Collection("torch")]
public class DiagnosticMetricTests
{
    [Fact]
    public void Nc1MatchesANaiveComputationWhenSbIsInvertible()
    {
        // C = 3 classes in D = 2 dimensions: Σ_B has full rank, so Σ_B⁺ = Σ_B⁻¹ and a 2x2 inverse suffices.
        var rng = new Random(9);
        int n = 40;
        var y = Enumerable.Range(0, n).Select(i => (long)(i % 3)).ToArray();
        var h = new double[n, 2];
        for (int i = 0; i < n; i++) { h[i, 0] = 2 * y[i] + rng.NextDouble(); h[i, 1] = (y[i] == 1 ? 3 : 0) + rng.NextDouble() * 2; }
        var mu = new double[3, 2]; var cnt = new int[3];
        for (int i = 0; i < n; i++) { cnt[y[i]]++; mu[y[i], 0] += h[i, 0]; mu[y[i], 1] += h[i, 1]; }
        for (int c = 0; c < 3; c++) { mu[c, 0] /= cnt[c]; mu[c, 1] /= cnt[c]; }
        double g0 = (mu[0, 0] + mu[1, 0] + mu[2, 0]) / 3, g1 = (mu[0, 1] + mu[1, 1] + mu[2, 1]) / 3;
        double a = 0, b = 0, d = 0;   // Σ_B = [[a, b], [b, d]]
        for (int c = 0; c < 3; c++) { a += (mu[c, 0] - g0) * (mu[c, 0] - g0) / 3; b += (mu[c, 0] - g0) * (mu[c, 1] - g1) / 3; d += (mu[c, 1] - g1) * (mu[c, 1] - g1) / 3; }
        double det = a * d - b * b;
        double i00 = d / det, i01 = -b / det, i11 = a / det;
        var perClass = new double[3];
        for (int i = 0; i < n; i++)
        {
            double u = h[i, 0] - mu[y[i], 0], v = h[i, 1] - mu[y[i], 1];
            perClass[y[i]] += (u * u * i00 + 2 * u * v * i01 + v * v * i11) / cnt[y[i]] / 3;
        }
        double overall = Enumerable.Range(0, 3).Sum(c => cnt[c] / (double)n * perClass[c]);

        var flat = new double[n * 2];
        for (int i = 0; i < n; i++) { flat[2 * i] = h[i, 0]; flat[2 * i + 1] = h[i, 1]; }
        using var ht = tensor(flat, [n, 2]);
        var r = WithinClassScatter.Nc1(ht, tensor(y));
        Assert.Equal(overall, r.Overall, 10);
        for (int c = 0; c < 3; c++) Assert.Equal(perClass[c], r.PerClass[c].Nc1, 10);
        Assert.Equal(new long[] { 14, 13, 13 }, r.PerClass.Select(p => p.Count).ToArray());

        // Padding with zero dimensions and rotating leaves NC1 unchanged (the pseudo-inverse ignores the null space).
        manual_seed(3);
        var (q, _) = linalg.qr(randn(6, 6, dtype: ScalarType.Float64));                  // [6, 6] orthogonal
        using var padded = cat([ht, zeros(n, 4, dtype: ScalarType.Float64)], 1).matmul(q); // [n, 6]
        Assert.Equal(overall, WithinClassScatter.Nc1(padded, tensor(y)).Overall, 8);
    }

    [Fact]
    public void Nc1IsZeroForCollapsedClasses()
    {
        using var h = tensor(new double[] { 1, 0, 1, 0, 0, 1, 0, 1, -1, -1, -1, -1 }, [6, 2]);
        var r = WithinClassScatter.Nc1(h, tensor(new long[] { 0, 0, 1, 1, 2, 2 }));
        Assert.Equal(0, r.Overall, 12);
    }

    [Fact]
    public void RankMeOfATallMatrixByBlockedQrEqualsItsTransposesBySvd()
    {
        // 9,000 x 6 goes through the blocked tall-skinny QR (3 blocks); its transpose, 6 x 9,000, straight to the
        // singular values. A matrix and its transpose have the same singular values, so the two must agree.
        using var scope = NewDisposeScope();
        var z = randn(9_000, 6, generator: new Generator(3)) * tensor(new float[] { 5, 3, 1, 0.5f, 0.1f, 0.01f });   // [N, D]
        double tall = EffectiveRank.RankMe(z), wide = EffectiveRank.RankMe(z.t());
        Assert.Equal(wide, tall, 10);
        Assert.InRange(tall, 1.5, 6);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => EffectiveRank.RankMe(z, cts.Token));
    }

    [Fact]
    public void RankMeMatchesNaiveSingularValues()
    {
        var rng = new Random(2);
        foreach (var (n, d) in new[] { (12, 4), (3, 5), (8, 8) })
        {
            var z = new double[n, d];
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i, j] = rng.NextDouble() * 2 - 1 + (j == 0 ? 3 : 0);
            // Naive: eigenvalues of the smaller Gram matrix by cyclic Jacobi rotations; σ = sqrt(λ).
            int k = Math.Min(n, d);
            var g = new double[k, k];
            for (int a = 0; a < k; a++) for (int b = 0; b < k; b++)
                g[a, b] = n >= d ? Enumerable.Range(0, n).Sum(i => z[i, a] * z[i, b]) : Enumerable.Range(0, d).Sum(j => z[a, j] * z[b, j]);
            var sigma = JacobiEigenvalues(g).Select(l => Math.Sqrt(Math.Max(l, 0))).ToArray();
            double sum = sigma.Sum();
            double entropy = sigma.Select(s => s / sum + 1e-7).Sum(p => -p * Math.Log(p));
            var flat = new double[n * d];
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) flat[i * d + j] = z[i, j];
            using var zt = tensor(flat, [n, d]);
            Assert.Equal(Math.Exp(entropy), EffectiveRank.RankMe(zt), 9);
        }
        // Closed form: 3 equal singular values -> p = 1/3 + ε each.
        using var eye3 = cat([eye(3, dtype: ScalarType.Float64), zeros(2, 3, dtype: ScalarType.Float64)], 0);
        double p3 = 1.0 / 3 + 1e-7;
        Assert.Equal(Math.Exp(-3 * p3 * Math.Log(p3)), EffectiveRank.RankMe(eye3), 12);
    }

    [Fact]
    public void FoldsAreAStratifiedSeededPartition()
    {
        var strata = Enumerable.Range(0, 103).Select(i => (long)(i % 7 == 0 ? -1 : i % 4)).ToArray();
        var f = StratifiedFolds.Assign(strata, 5, seed: 3);
        Assert.Equal(f, StratifiedFolds.Assign(strata, 5, seed: 3));
        Assert.NotEqual(f, StratifiedFolds.Assign(strata, 5, seed: 4));
        foreach (var s in strata.Distinct())
        {
            var counts = Enumerable.Range(0, 5).Select(k => Enumerable.Range(0, strata.Length).Count(i => strata[i] == s && f[i] == k)).ToArray();
            Assert.True(counts.Max() - counts.Min() <= 1, $"stratum {s}: {string.Join(",", counts)}");
        }
        var sizes = Enumerable.Range(0, 5).Select(k => f.Count(v => v == k)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
    }

    private static double[] JacobiEigenvalues(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-24) break;
            for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
            {
                if (Math.Abs(a[p, q]) < 1e-300) continue;
                double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                if (theta == 0) t = 1;
                double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++)
                {
                    double akp = a[k, p], akq = a[k, q];
                    a[k, p] = c * akp - s * akq; a[k, q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++)
                {
                    double apk = a[p, k], aqk = a[q, k];
                    a[p, k] = c * apk - s * aqk; a[q, k] = s * apk + c * aqk;
                }
            }
        }
        return Enumerable.Range(0, n).Select(i => a[i, i]).ToArray();
    }
}
