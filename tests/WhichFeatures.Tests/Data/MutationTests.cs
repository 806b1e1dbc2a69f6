using System.Diagnostics;
using WhichFeatures.Data;

namespace WhichFeatures.Tests.Data;

/// <summary>
/// Seeded random byte flips and truncations of valid small files: each load either succeeds (the file is
/// still valid) or raises DatasetFormatException; never another exception, never a hang.
/// </summary>
[Collection("torch")]
public class MutationTests
{
    private sealed record Target(string Name, string File, Func<string, ImageDataset> Load);

    [Fact]
    public void RandomFlipsAndTruncationsGiveDataOrFormatErrors()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var rng = new Random(20261128);
        var targets = new List<(Target T, string Dir, byte[] Good)>();

        void Add(string name, string dir, string file, Func<string, ImageDataset> load) =>
            targets.Add((new Target(name, file, load), dir, File.ReadAllBytes(Path.Combine(dir, file))));

        var c10 = tmp.Sub("c10");
        DataTestFiles.WriteCifar10(c10, new Random(1), gz: false, n1: 3, n3: 2, nTest: 3);
        File.WriteAllText(Path.Combine(c10, "batches.meta.txt"), string.Join("\n", Cifar10Loader.DefaultClassNames));
        Add("cifar10 plain", c10, "data_batch_1.bin", d => Cifar10Loader.Load(d, DatasetSplit.Train));
        Add("cifar10 gz", c10, "data_batch_3.bin.gz", d => Cifar10Loader.Load(d, DatasetSplit.Train));
        Add("cifar10 meta", c10, "batches.meta.txt", d => Cifar10Loader.Load(d, DatasetSplit.Test));

        var c100 = tmp.Sub("c100");
        var labels = Enumerable.Range(0, 3).Select(i => new[] { (byte)(i * 7), (byte)(i * 33) }).ToArray();
        DataTestFiles.Write(Path.Combine(c100, "train.bin"), DataTestFiles.CifarRecords(labels, DataTestFiles.RandomBytes(rng, 3 * 3072)), gz: true);
        DataTestFiles.Write(Path.Combine(c100, "test.bin"), DataTestFiles.CifarRecords(labels, DataTestFiles.RandomBytes(rng, 3 * 3072)), gz: false);
        Add("cifar100 gz", c100, "train.bin.gz", d => Cifar100Loader.Load(d, DatasetSplit.Train));
        Add("cifar100 plain", c100, "test.bin", d => Cifar100Loader.Load(d, DatasetSplit.Test));

        var m = tmp.Sub("m");
        DataTestFiles.WriteMnist(m, new Random(2), gz: true, nTrain: 5, nTest: 4, rows: 6, cols: 5);
        Add("idx images gz", m, "train-images-idx3-ubyte.gz", d => MnistLoader.Load(d, DatasetSplit.Train));
        Add("idx labels gz", m, "train-labels-idx1-ubyte.gz", d => MnistLoader.Load(d, DatasetSplit.Train));
        Add("idx images plain", m, "t10k-images-idx3-ubyte", d => MnistLoader.Load(d, DatasetSplit.Test));
        Add("idx labels plain", m, "t10k-labels-idx1-ubyte", d => MnistLoader.Load(d, DatasetSplit.Test));

        int loaded = 0, rejected = 0;
        var sw = Stopwatch.StartNew();
        const int cases = 400;
        for (int c = 0; c < cases; c++)
        {
            var (t, dir, good) = targets[c % targets.Count];
            var bytes = (byte[])good.Clone();
            int kind = rng.Next(3);
            if (kind != 1) // flips, biased to the header where the interesting fields live
                for (int f = rng.Next(1, 6); f > 0; f--)
                {
                    int at = rng.Next(2) == 0 ? rng.Next(Math.Min(24, bytes.Length)) : rng.Next(bytes.Length);
                    bytes[at] ^= (byte)rng.Next(1, 256);
                }
            if (kind != 0) bytes = bytes.AsSpan(0, rng.Next(bytes.Length)).ToArray();
            var path = Path.Combine(dir, t.File);
            File.WriteAllBytes(path, bytes);
            var caseSw = Stopwatch.StartNew();
            try
            {
                using var ds = t.Load(dir);
                Assert.True(ds.Count > 0);
                loaded++;
            }
            catch (DatasetFormatException e)
            {
                Assert.Contains(Path.GetFileName(t.File), e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {c} ({t.Name}, kind {kind}): {e.GetType().Name}: {e.Message}");
            }
            finally
            {
                File.WriteAllBytes(path, good);
            }
            Assert.True(caseSw.Elapsed.TotalSeconds < 5, $"case {c} ({t.Name}) took {caseSw.Elapsed.TotalSeconds:F1} s");
        }
        Assert.Equal(cases, loaded + rejected);
        Assert.True(rejected > cases / 2, $"only {rejected} of {cases} mutations were rejected");
        Assert.True(sw.Elapsed.TotalSeconds < 30, $"{cases} cases took {sw.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void RandomlyCorruptedSuperclassMapsParseOrRaiseFormatErrors()
    {
        var names = Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray();
        var good = System.Text.Encoding.UTF8.GetBytes("""{ "vehicles": [0, 1, 8, 9], "animals": ["c2", 3, 4, 5, 6, 7] }""");
        var rng = new Random(7);
        int parsed = 0, rejected = 0;
        for (int c = 0; c < 300; c++)
        {
            var bytes = (byte[])good.Clone();
            for (int f = rng.Next(1, 4); f > 0; f--) bytes[rng.Next(bytes.Length)] = (byte)rng.Next(32, 127);
            if (rng.Next(3) == 0) bytes = bytes.AsSpan(0, rng.Next(bytes.Length)).ToArray();
            try
            {
                var map = SuperclassMap.Parse(System.Text.Encoding.UTF8.GetString(bytes), "map.json", names);
                Assert.Equal(10, map.ClassCount);
                parsed++;
            }
            catch (DatasetFormatException e)
            {
                Assert.Contains("map.json", e.Message);
                rejected++;
            }
        }
        Assert.Equal(300, parsed + rejected);
        Assert.True(rejected > 150);
    }
}
