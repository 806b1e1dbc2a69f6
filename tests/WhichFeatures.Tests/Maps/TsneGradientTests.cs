using WhichFeatures.Maps;

namespace WhichFeatures.Tests.Maps;

/// <summary>
/// The t-SNE gradient against a naive O(N²) reference written from the formula (dense P and Q), against central
/// finite differences of KL(P ‖ Q), and Barnes-Hut against the exact repulsion.
/// </summary>
public class TsneGradientTests
{
    private static double[] RandomData(int n, int d, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * d).Select(_ => scale * (rng.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Dense P[i, j] from the sparse matrix.</summary>
    private static double[,] Dense(Affinities p)
    {
        var m = new double[p.Rows, p.Rows];
        for (int i = 0; i < p.Rows; i++)
            for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) m[i, p.Columns[e]] = p.Values[e];
        return m;
    }

    /// <summary>The textbook: qᵢⱼ = wᵢⱼ / Σₖ≠ₗ wₖₗ, wᵢⱼ = 1 / (1 + ‖yᵢ − yⱼ‖²); ∂C/∂yᵢ = 4 Σⱼ (pᵢⱼ − qᵢⱼ) wᵢⱼ (yᵢ − yⱼ).</summary>
    private static (double[] Gradient, double Kl) Naive(double[,] p, double[] y)
    {
        int n = p.GetLength(0);
        var w = new double[n, n];
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) z += w[i, j] = 1 / (1 + Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2));
        var g = new double[2 * n];
        double kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double q = w[i, j] / z;
                for (int c = 0; c < 2; c++) g[2 * i + c] += 4 * (p[i, j] - q) * w[i, j] * (y[2 * i + c] - y[2 * j + c]);
                if (p[i, j] > 0) kl += p[i, j] * Math.Log(p[i, j] / q);
            }
        return (g, kl);
    }

    private static double RelativeError(double[] a, double[] b) =>
        Math.Sqrt(a.Zip(b, (u, v) => (u - v) * (u - v)).Sum()) / Math.Sqrt(b.Sum(v => v * v));

    [Theory]
    [InlineData(12, 5, 1)]
    [InlineData(40, 8, 2)]
    [InlineData(90, 3, 3)]
    public void ExactGradientAndDivergenceEqualTheNaiveFormula(int n, int d, int seed)
    {
        var x = RandomData(n, d, seed);
        var p = Affinities.Exact(Neighbours.AllSquaredDistances(x, n, d), n, perplexity: Math.Min(30, n / 4.0));
        var y = RandomData(n, 2, seed + 100, scale: 3);
        var g = new double[2 * n];
        double kl = TsneGradient.Compute(p, y, angle: null, g, withError: true);
        var (expected, expectedKl) = Naive(Dense(p), y);
        Assert.True(RelativeError(g, expected) < 1e-12, $"relative error {RelativeError(g, expected):E2}");
        Assert.Equal(expectedKl, kl, 1e-12);
    }

    [Fact]
    public void ExactGradientIsTheDerivativeOfTheDivergence()
    {
        int n = 25, d = 4;
        var x = RandomData(n, d, 7);
        var p = Affinities.Exact(Neighbours.AllSquaredDistances(x, n, d), n, perplexity: 6);
        var y = RandomData(n, 2, 8, scale: 2);
        var g = new double[2 * n];
        TsneGradient.Compute(p, y, null, g, withError: false);
        const double h = 1e-6;
        var scratch = new double[2 * n];
        for (int c = 0; c < 2 * n; c++)
        {
            var plus = (double[])y.Clone(); plus[c] += h;
            var minus = (double[])y.Clone(); minus[c] -= h;
            double numeric = (TsneGradient.Compute(p, plus, null, scratch, true) - TsneGradient.Compute(p, minus, null, scratch, true)) / (2 * h);
            Assert.True(Math.Abs(numeric - g[c]) < 1e-6 * Math.Max(1, Math.Abs(g[c])), $"coordinate {c}: finite difference {numeric}, gradient {g[c]}");
        }
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(200, true)]   // with coincident points, which share a quadtree leaf
    public void BarnesHutAtAngleZeroIsTheExactGradient(int n, bool duplicates)
    {
        var x = RandomData(n, 6, 11);
        var p = Affinities.Exact(Neighbours.AllSquaredDistances(x, n, 6), n, perplexity: 20);
        var y = RandomData(n, 2, 12, scale: 10);
        if (duplicates)
            for (int i = 0; i < n / 4; i++) (y[2 * (i + n / 2)], y[2 * (i + n / 2) + 1]) = (y[2 * i], y[2 * i + 1]);
        var exact = new double[2 * n];
        var tree = new double[2 * n];
        double klExact = TsneGradient.Compute(p, y, null, exact, true);
        double klTree = TsneGradient.Compute(p, y, 0.0, tree, true);
        Assert.True(RelativeError(tree, exact) < 1e-10, $"relative error {RelativeError(tree, exact):E2}");
        Assert.Equal(klExact, klTree, 1e-10);
    }

    [Fact]
    public void BarnesHutAtTheDefaultAngleIsCloseToExactAndMovesAwayAsTheAngleGrows()
    {
        int n = 1500;
        var x = RandomData(n, 5, 21);
        var p = Affinities.FromNeighbours(Neighbours.Find(x, n, 5, 91), 30);
        var y = RandomData(n, 2, 22, scale: 20);
        var exact = new double[2 * n];
        TsneGradient.Compute(p, y, null, exact, false);
        double ErrorAt(double angle)
        {
            var g = new double[2 * n];
            TsneGradient.Compute(p, y, angle, g, false);
            return RelativeError(g, exact);
        }
        double narrow = ErrorAt(0.2), half = ErrorAt(0.5), wide = ErrorAt(0.9);
        Assert.True(half < 0.05, $"angle 0.5: relative error {half:E2}");
        Assert.True(narrow > 0 && narrow < half && half < wide, $"the approximation must coarsen with the angle: 0.2 → {narrow:E2}, 0.5 → {half:E2}, 0.9 → {wide:E2}");
    }
}
