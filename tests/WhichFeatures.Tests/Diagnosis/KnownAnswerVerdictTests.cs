using WhichFeatures.Diagnosis;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>
/// Embeddings built to keep, collapse, suppress or hide (kNN-only) an attribute get the verdict they were built to
/// get, against a reference encoder that keeps everything (the "input"). An untrained encoder (a random rotation of
/// the input) and the reference compared with itself are never collapsed or suppressed. These tests fail if kNN is
/// dropped from the rules (the hidden subclass would be "collapsed") or if the reference is replaced by chance (the
/// partly lost subclass and the suppressed colour would not be found).
/// </summary>
[Collection("torch")]
public class KnownAnswerVerdictTests
{
    private const int Rows = 600, Dims = 16;
    private static readonly DiagnosisSettings Settings = new() { ClassColumn = "class", SubclassColumn = "subclass", ControlColumns = ["control"] };

    private enum Build { Input, Collapsed, PartlyCollapsed, Suppressed, Hidden, RandomRotation }

    // Rows of 3 classes x 2 subclasses, a binary colour and a random control bit. The input has a direction for the
    // class, one for the subclass (its sign), one for the colour, and unit noise on every dimension.
    private static LabelledEmbeddings Make(Build build, int seed)
    {
        var rng = new Random(seed);
        var x = new float[Rows * Dims];
        long[] cls = new long[Rows], sub = new long[Rows], colour = new long[Rows], control = new long[Rows];
        var rotation = build == Build.RandomRotation ? linalg.qr(randn(Dims, Dims, generator: new Generator(7))).Q.to_type(ScalarType.Float32) : null;
        for (int i = 0; i < Rows; i++)
        {
            cls[i] = i % 3; long s = (i / 3) % 2; sub[i] = 2 * cls[i] + s; colour[i] = rng.Next(2); control[i] = rng.Next(2);
            for (int j = 0; j < Dims; j++) x[i * Dims + j] = (float)(0.5 * Gaussian(rng));
            x[i * Dims + (int)cls[i]] += 4;
            double subclassSignal = build switch { Build.Collapsed => 0, Build.PartlyCollapsed => 0.6, _ => 2.5 };
            if (build == Build.Hidden)
            {
                // The subclass as two tight pairs of blobs with equal means: no line separates it, neighbours do.
                double sign = rng.Next(2) == 0 ? -3 : 3;
                x[i * Dims + (s == 0 ? 3 : 4)] += (float)sign;
            }
            else x[i * Dims + 3] += (float)(s == 0 ? -subclassSignal : subclassSignal);
            if (build != Build.Suppressed) x[i * Dims + 5] += colour[i] == 0 ? -2.5f : 2.5f;
        }
        var features = tensor(x).reshape(Rows, Dims);
        if (rotation is not null) features = features.matmul(rotation);
        return new LabelledEmbeddings(build.ToString(), features,
        [
            new AttributeColumn("class", cls, ["a", "b", "c"]),
            new AttributeColumn("subclass", sub, ["a0", "a1", "b0", "b1", "c0", "c1"]),
            new AttributeColumn("colour", colour, ["red", "green"]),
            new AttributeColumn("control", control, ["0", "1"]),
        ]);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static DiagnosisResult Diagnose(Build build, Build reference = Build.Input, bool withReference = true)
    {
        using var train = Make(build, 1);
        using var test = Make(build, 2);
        using var refTrain = Make(reference, 1);
        using var refTest = Make(reference, 2);
        var r = withReference ? new DiagnosisReference(ReferenceKind.Baseline, reference.ToString(), refTrain.Features, refTest.Features) : null;
        return EmbeddingDiagnosis.Run(train, test, Settings, r);
    }

    private static SuppressionOutcome Suppression(DiagnosisResult r, string name) => r.Attributes.Single(a => a.Name == name).Suppression.Outcome;

    [Fact]
    public void AnEncoderThatKeepsEverythingIsNeitherCollapsedNorSuppressed()
    {
        var r = Diagnose(Build.RandomRotation);   // an untrained linear encoder: a random rotation of the input
        Assert.Equal(CollapseOutcome.NotCollapsed, r.Collapse!.Verdict!.Outcome);
        Assert.Equal(SuppressionOutcome.NotSuppressed, Suppression(r, "class"));
        Assert.Equal(SuppressionOutcome.NotSuppressed, Suppression(r, "colour"));
        Assert.Equal("not found", r.SuppressionVerdict);
        var self = Diagnose(Build.Input);         // the reference compared with itself: every gap is exactly 0
        Assert.Equal(CollapseOutcome.NotCollapsed, self.Collapse!.Verdict!.Outcome);
        Assert.Equal(0, self.Collapse.Verdict.Gap!.Value);
        Assert.Equal("not found", self.SuppressionVerdict);
    }

    [Fact]
    public void RemovedSubclassIsCollapsedAndPartlyRemovedSubclassIsCollapsedOnlyAgainstTheReference()
    {
        Assert.Equal(CollapseOutcome.Collapsed, Diagnose(Build.Collapsed).Collapse!.Verdict!.Outcome);
        var partly = Diagnose(Build.PartlyCollapsed);
        Assert.Equal(CollapseOutcome.Collapsed, partly.Collapse!.Verdict!.Outcome);
        // Against chance the same embedding is not collapsed: its subclass is still read well above chance.
        var chance = Diagnose(Build.PartlyCollapsed, withReference: false);
        Assert.Equal(ReferenceKind.Chance, chance.Collapse!.Verdict!.Reference);
        Assert.Equal(CollapseOutcome.NotCollapsed, chance.Collapse.Verdict.Outcome);
    }

    [Fact]
    public void ASubclassOnlyNeighboursCanReadIsNotCollapsedAndSaysKnnReadIt()
    {
        var r = Diagnose(Build.Hidden);
        var v = r.Collapse!.Verdict!;
        Assert.True(r.Collapse.Measured!.Readout.Probe.Upper < 0.7, $"the linear probe should not read the hidden subclass: {r.Collapse.Measured.Readout.Probe}");
        Assert.Equal("kNN", v.Reader);
        Assert.Equal(CollapseOutcome.NotCollapsed, v.Outcome);
    }

    [Fact]
    public void RemovedColourIsSuppressedOnlyWhenAReferenceShowsItWasThere()
    {
        var r = Diagnose(Build.Suppressed);
        Assert.Equal(SuppressionOutcome.Suppressed, Suppression(r, "colour"));
        Assert.Equal(Readability.NearChance, r.Attributes.Single(a => a.Name == "colour").Readability.Outcome);
        Assert.Equal(SuppressionOutcome.NotSuppressed, Suppression(r, "class"));
        Assert.Equal("suppression found", r.SuppressionVerdict);
        var chance = Diagnose(Build.Suppressed, withReference: false);
        Assert.Equal(SuppressionOutcome.NotJudged, Suppression(chance, "colour"));
        Assert.Equal("not judged", chance.SuppressionVerdict);
    }

    [Fact]
    public void AControlColumnNeverCountsAndAnUnreadableOneIsNotJudged()
    {
        var r = Diagnose(Build.Input);
        Assert.Equal(SuppressionOutcome.Control, Suppression(r, "control"));
        Assert.Equal(Readability.NearChance, r.Attributes.Single(a => a.Name == "control").Readability.Outcome);
        using var train = Make(Build.RandomRotation, 1);
        using var test = Make(Build.RandomRotation, 2);
        using var refTrain = Make(Build.Input, 1);
        using var refTest = Make(Build.Input, 2);
        var unmarked = EmbeddingDiagnosis.Run(train, test, Settings with { ControlColumns = [] },
            new DiagnosisReference(ReferenceKind.Baseline, "input", refTrain.Features, refTest.Features));
        // Not marked as a control: the reference cannot read it either, so there is nothing to suppress.
        Assert.Equal(SuppressionOutcome.NotJudged, Suppression(unmarked, "control"));
        Assert.Equal("not found", unmarked.SuppressionVerdict);
    }
}
