using System.Globalization;
using WhichFeatures.Interop;
using WhichFeatures.Maps;
using WhichFeatures.Tests.Interop;

namespace WhichFeatures.Tests.Maps;

/// <summary>
/// Our t-SNE maps and our trustworthiness against scikit-learn 1.2 (Debian's /usr/bin/python3) on the same inputs,
/// and against a known cluster structure. The scikit-learn parts skip with a message where it is missing (Interop/DebianPython).
/// </summary>
[Collection("torch")]
public class TsneQualityTests
{
    /// <summary>10 classes × 3 subclasses in 20-D (the same recipe as bench/reference/tsne_sklearn.py's synthetic set, smaller).</summary>
    private static (double[] X, long[] Class, long[] Subclass) Clusters(int perSubclass, int d, int seed)
    {
        var rng = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var centres = Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, d).Select(_ => 6 * Normal()).ToArray()).ToArray();
        var subs = centres.Select(c => Enumerable.Range(0, 3).Select(_ => c.Select(v => v + 2 * Normal()).ToArray()).ToArray()).ToArray();
        int n = 30 * perSubclass;
        var x = new double[n * d];
        var cls = new long[n];
        var sub = new long[n];
        for (int i = 0; i < n; i++)
        {
            int c = i / (3 * perSubclass), s = i / perSubclass % 3;
            (cls[i], sub[i]) = (c, 3 * c + s);
            for (int k = 0; k < d; k++) x[i * d + k] = subs[c][s][k] + 0.5 * Normal();
        }
        return (x, cls, sub);
    }

    /// <summary>scikit-learn's TSNE (defaults, random_state 0, method as given) on x; returns its map and its own trustworthiness at 10 and 30.</summary>
    private static (double[] Map, double Trust10, double Trust30) Sklearn(double[] x, int n, int d, string method, string dir)
    {
        NpyFile.WriteFloat32(Path.Combine(dir, "x.npy"), x.Select(v => (float)v).ToArray(), n, d);
        var output = DebianPython.RunOk($"""
            import numpy as np
            from sklearn.manifold import TSNE, trustworthiness
            x = np.load("x.npy").astype(np.float64)
            m = TSNE(random_state=0, init="pca", learning_rate="auto", method="{method}").fit_transform(x)
            np.save("map.npy", m.astype(np.float64))
            print(repr(trustworthiness(x, m, n_neighbors=10)))
            print(repr(trustworthiness(x, m, n_neighbors=30)))
            """, dir);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (NpyFile.Read(Path.Combine(dir, "map.npy")).Doubles!, double.Parse(lines[0], CultureInfo.InvariantCulture), double.Parse(lines[1], CultureInfo.InvariantCulture));
    }

    [SkippableTheory]
    [InlineData(TsneMethod.Exact, "exact", 20)]
    [InlineData(TsneMethod.BarnesHut, "barnes_hut", 40)]
    public void MapIsAsTrustworthyAsScikitLearnsAndOurTrustworthinessIsTheirs(TsneMethod method, string sklearnMethod, int perSubclass)
    {
        DebianPython.Require("sklearn.manifold", "numpy");
        const int d = 20;
        var (x, cls, sub) = Clusters(perSubclass, d, seed: 4);
        x = x.Select(v => (double)(float)v).ToArray();   // the values the float32 file carries to scikit-learn
        int n = cls.Length;
        var dir = Directory.CreateTempSubdirectory("wf-tsne-").FullName;
        try
        {
            var sk = Sklearn(x, n, d, sklearnMethod, dir);
            // Our trustworthiness of scikit-learn's map is scikit-learn's trustworthiness of it.
            Assert.Equal(sk.Trust10, Trustworthiness.Compute(x, d, sk.Map, 10), 10);
            Assert.Equal(sk.Trust30, Trustworthiness.Compute(x, d, sk.Map, 30), 10);

            var ours = Tsne.Fit(x, n, d, new TsneOptions(method: method));
            Assert.Equal(method, ours.Method);
            foreach (int k in new[] { 10, 30 })
            {
                double mine = Trustworthiness.Compute(x, d, ours.Coordinates, k), theirs = k == 10 ? sk.Trust10 : sk.Trust30;
                Assert.True(mine >= theirs - 0.01, $"trustworthiness at k = {k}: ours {mine:0.0000}, scikit-learn {theirs:0.0000}");
            }
            foreach (var labels in new[] { cls, sub })
            {
                double mine = MapNeighbourAccuracy.Compute(ours.Coordinates, labels), theirs = MapNeighbourAccuracy.Compute(sk.Map, labels);
                Assert.True(mine >= theirs - 0.01, $"2-D kNN accuracy: ours {mine:0.0000}, scikit-learn {theirs:0.0000}");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void MapSeparatesAKnownClusterStructure()
    {
        const int d = 20;
        var (x, cls, sub) = Clusters(15, d, seed: 6);
        var map = Tsne.Fit(x, cls.Length, d, new TsneOptions(perplexity: 15));
        Assert.Equal(1.0, MapNeighbourAccuracy.Compute(map.Coordinates, cls));
        Assert.True(MapNeighbourAccuracy.Compute(map.Coordinates, sub) > 0.9);
        Assert.True(Trustworthiness.Compute(x, d, map.Coordinates, 10) > 0.95);
        // The same map again: the optimisation is deterministic.
        Assert.Equal(map.Coordinates, Tsne.Fit(x, cls.Length, d, new TsneOptions(perplexity: 15)).Coordinates);
    }

    [Fact]
    public void TrustworthinessIsOneForAnIsometryAndFallsForAShuffledMap()
    {
        var rng = new Random(2);
        int n = 200;
        var data = Enumerable.Range(0, 2 * n).Select(_ => rng.NextDouble()).ToArray();
        var rotated = new double[2 * n];
        for (int i = 0; i < n; i++) (rotated[2 * i], rotated[2 * i + 1]) = (0.6 * data[2 * i] - 0.8 * data[2 * i + 1] + 3, 0.8 * data[2 * i] + 0.6 * data[2 * i + 1]);
        Assert.Equal(1.0, Trustworthiness.Compute(data, 2, rotated, 10), 12);
        var perm = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        var shuffled = perm.SelectMany(j => new[] { data[2 * j], data[2 * j + 1] }).ToArray();
        Assert.InRange(Trustworthiness.Compute(data, 2, shuffled, 10), 0.3, 0.7);   // random neighbours: about 0.5
    }

    [Fact]
    public void OptionsRefuseValuesOutsideTheirRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsneOptions(perplexity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsneOptions(iterations: 250));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsneOptions(angle: 1.5));
        Assert.Throws<ArgumentException>(() => Tsne.Fit(new double[20], 10, 2, new TsneOptions(perplexity: 10)));
        Assert.Equal(50, new TsneOptions().LearningRateFor(1000));
        Assert.Equal(10_000 / 12.0 / 4, new TsneOptions().LearningRateFor(10_000), 12);
    }
}
