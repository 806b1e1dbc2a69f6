using WhichFeatures.Diagnosis;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>
/// What information reaches <c>diagnose</c>'s numbers (docs/testing.md, information-flow tests): the test rows reach
/// only their own scores, and the label-free metrics never read labels. No reference values are needed: each test
/// compares two runs that may differ only in what must not matter.
/// </summary>
[Collection("torch")]
public class DiagnosisFlowTests
{
    private static readonly DiagnosisSettings Settings = new() { Seed = 0, ClassColumn = "class", SubclassColumn = "subclass" };

    /// <summary>
    /// A seeded Gaussian mixture: 3 classes x 2 subclasses in 8 dimensions, class and subclass along different
    /// directions, plus <paramref name="shift"/> added to every coordinate (a shifted test set).
    /// </summary>
    private static LabelledEmbeddings Mixture(string source, int n, int seed, double shift = 0, long[]? classOrder = null)
    {
        var rng = new Random(seed);
        const int d = 8;
        var x = new float[n * d];
        var cls = new long[n];
        var sub = new long[n];
        for (int i = 0; i < n; i++)
        {
            cls[i] = i % 3;
            sub[i] = 2 * cls[i] + (i / 3) % 2;
            for (int j = 0; j < d; j++) x[i * d + j] = (float)(Gaussian(rng) + shift);
            x[i * d + (int)cls[i]] += 2.5f;            // class direction
            x[i * d + 3 + (int)(sub[i] % 2)] += 1.0f;  // subclass direction
        }
        if (classOrder is not null) cls = classOrder;
        return new LabelledEmbeddings(source, tensor(x, [n, d]), [
            new AttributeColumn("class", cls, ["a", "b", "c"]),
            new AttributeColumn("subclass", sub, ["a0", "a1", "b0", "b1", "c0", "c1"]),
        ]);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Rows of <paramref name="a"/> then <paramref name="b"/> as one split.</summary>
    private static LabelledEmbeddings Concat(LabelledEmbeddings a, LabelledEmbeddings b) =>
        new($"{a.Source}+{b.Source}", cat([a.Features, b.Features], 0),
            a.Attributes.Select(c => c with { Codes = [.. c.Codes, .. b.Attribute(c.Name)!.Codes] }).ToList());

    [Fact]
    public void TestRowsReachOnlyTheirOwnScores()
    {
        using var scope = NewDisposeScope();
        using var train = Mixture("train", 150, seed: 1);
        using var near = Mixture("near", 60, seed: 2);
        using var far = Mixture("far", 30, seed: 3, shift: 4.0);   // shifted rows: test-set statistics would move
        using var both = Concat(near, far);

        var rNear = EmbeddingDiagnosis.Run(train, near, Settings);
        var rFar = EmbeddingDiagnosis.Run(train, far, Settings);
        var rBoth = EmbeddingDiagnosis.Run(train, both, Settings);

        for (int a = 0; a < rBoth.Attributes.Count; a++)
        {
            var (sNear, sFar, sBoth) = (rNear.Attributes[a], rFar.Attributes[a], rBoth.Attributes[a]);
            // The probe is fitted on the training rows alone: its training accuracy ignores which test rows come along.
            Assert.Equal(sNear.Measured.ProbeTrain.Mean, sBoth.Measured.ProbeTrain.Mean);
            Assert.Equal(sFar.Measured.ProbeTrain.Mean, sBoth.Measured.ProbeTrain.Mean);
            // Each test row is scored on its own: correct counts add up over the two parts (probe and kNN).
            Assert.Equal(sNear.Probe.Value * 60 + sFar.Probe.Value * 30, sBoth.Probe.Value * 90, 9);
            Assert.Equal(sNear.Knn.Value * 60 + sFar.Knn.Value * 30, sBoth.Knn.Value * 90, 9);
        }
        // The shifted rows must actually score differently, or the additivity above would prove nothing.
        Assert.NotEqual(rNear.Attributes[0].Probe.Value, rFar.Attributes[0].Probe.Value);
        // Label-free and training-side numbers are the same whatever the test split.
        Assert.Equal(rNear.RankMe, rBoth.RankMe);
        Assert.Equal(rNear.Collapse!.Nc1, rBoth.Collapse!.Nc1);
    }

    [Fact]
    public void RankMeNeverReadsLabels()
    {
        using var scope = NewDisposeScope();
        var shuffled = Enumerable.Range(0, 150).Select(i => (long)(i % 3)).ToArray();
        new Random(5).Shuffle(shuffled);                             // same class sizes, rows reassigned
        using var train = Mixture("train", 150, seed: 1);
        using var relabelled = Mixture("train", 150, seed: 1, classOrder: shuffled);
        var classOnly = Settings with { SubclassColumn = null };   // permuted classes no longer nest the subclasses
        var r = EmbeddingDiagnosis.Run(train, null, classOnly);
        var p = EmbeddingDiagnosis.Run(relabelled, null, classOnly);
        Assert.Equal(r.RankMe, p.RankMe);
        // The labels did reach the label-reading numbers: the class probe falls with the permuted classes.
        Assert.True(p.Attributes[0].Probe.Value < r.Attributes[0].Probe.Value - 0.2,
            $"class probe {r.Attributes[0].Probe.Value:0.000} with true labels vs {p.Attributes[0].Probe.Value:0.000} permuted");
    }
}
