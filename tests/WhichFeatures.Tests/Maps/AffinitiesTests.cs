using WhichFeatures.Maps;

namespace WhichFeatures.Tests.Maps;

/// <summary>Perplexity search, joint affinities and nearest neighbours against definitions and brute force.</summary>
public class AffinitiesTests
{
    private static double[] RandomData(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(30.0)]
    public void ConditionalAffinitiesHaveThePerplexityAsked(double perplexity)
    {
        var rng = new Random(3);
        var d2 = Enumerable.Range(0, 120).Select(_ => rng.NextDouble() * 50).ToArray();
        var p = new double[d2.Length];
        double beta = PerplexitySearch.Conditional(d2, perplexity, p);
        Assert.Equal(1.0, p.Sum(), 12);
        double entropy = -p.Where(v => v > 0).Sum(v => v * Math.Log(v));
        Assert.Equal(Math.Log(perplexity), entropy, 4);
        for (int j = 0; j < d2.Length; j++)                                   // the Gaussian of the returned precision
            Assert.Equal(Math.Exp(-beta * d2[j]) / d2.Sum(t => Math.Exp(-beta * t)), p[j], 12);
    }

    [Fact]
    public void JointAffinitiesAreSymmetricAndSumToOne()
    {
        int n = 150, d = 4;
        var x = RandomData(n, d, 5);
        foreach (var p in new[] { Affinities.Exact(Neighbours.AllSquaredDistances(x, n, d), n, 10), Affinities.FromNeighbours(Neighbours.Find(x, n, d, 31), 10) })
        {
            var m = new Dictionary<(int, int), double>();
            for (int i = 0; i < n; i++) for (int e = p.RowStart[i]; e < p.RowStart[i + 1]; e++) m[(i, p.Columns[e])] = p.Values[e];
            Assert.Equal(1.0, m.Values.Sum(), 10);
            Assert.All(m, kv => Assert.Equal(kv.Value, m[(kv.Key.Item2, kv.Key.Item1)], 15));
            Assert.DoesNotContain(m.Keys, k => k.Item1 == k.Item2);
        }
    }

    [Fact]
    public void SparseAffinitiesOverAllNeighboursEqualTheExactOnes()
    {
        int n = 60, d = 3;
        var x = RandomData(n, d, 9);
        var exact = Affinities.Exact(Neighbours.AllSquaredDistances(x, n, d), n, 8);
        var sparse = Affinities.FromNeighbours(Neighbours.Find(x, n, d, n - 1), 8);
        Assert.Equal(exact.RowStart, sparse.RowStart);
        Assert.Equal(exact.Columns, sparse.Columns);
        for (int e = 0; e < exact.Values.Length; e++) Assert.Equal(exact.Values[e], sparse.Values[e], 14);
    }

    [Fact]
    public void NeighboursAreTheBruteForceNearestInOrder()
    {
        int n = 700, d = 16, k = 25;
        var x = RandomData(n, d, 13);
        for (int i = 0; i < 10; i++) Array.Copy(x, i * d, x, (n - 1 - i) * d, d);   // exact duplicates: ties by index
        var found = Neighbours.Find(x, n, d, k);
        for (int i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (D2: Neighbours.SquaredDistance(x, d, i, j), J: j)).Order().Take(k).ToArray();
            Assert.Equal(expected.Select(e => e.J), found.Indices.Skip(i * k).Take(k));
            Assert.Equal(expected.Select(e => e.D2), found.SquaredDistances.Skip(i * k).Take(k));
        }
    }
}
