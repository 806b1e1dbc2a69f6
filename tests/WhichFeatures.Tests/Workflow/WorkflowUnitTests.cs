using WhichFeatures.Cli;
using WhichFeatures.Core;
using WhichFeatures.Evaluation;
using WhichFeatures.Losses;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Workflow;

/// <summary>The pure pieces of the train -> probe workflow, each against a closed form or a naive reference.</summary>
[Collection("torch")]
public class WorkflowUnitTests
{
    [Theory]
    [InlineData(ContrastiveLossKind.Ucl, 2)]
    [InlineData(ContrastiveLossKind.Ucl, 256)]
    [InlineData(ContrastiveLossKind.Scl, 7)]
    [InlineData(ContrastiveLossKind.Scl, 256)]
    [InlineData(ContrastiveLossKind.Joint, 64)]
    public void UniformSimilarityLossIsLnOf2BMinus1ForEveryLossKind(ContrastiveLossKind kind, int batch)
    {
        // Equal similarities: every one of the 2B - 1 others has probability 1 / (2B - 1), whatever the positives are.
        Assert.Equal(Math.Log(2 * batch - 1), TrainingHealth.UniformSimilarityLoss(kind, batch, 0.5, 0.1), 9);
    }

    [Fact]
    public void NormalisedStdIsZeroForACollapsedEmbeddingAndMatchesANaiveLoopOtherwise()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var collapsed = ones(50, 8) * tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 });          // [50, 8], one direction
        Assert.Equal(0, TrainingHealth.NormalisedStd(collapsed), 6);
        var spread = randn(400, 16);                                                            // [400, 16]
        var rows = spread.data<float>().ToArray();
        double naive = 0;
        var normed = new double[400, 16];
        for (int i = 0; i < 400; i++)
        {
            double n2 = 0;
            for (int j = 0; j < 16; j++) n2 += (double)rows[i * 16 + j] * rows[i * 16 + j];
            for (int j = 0; j < 16; j++) normed[i, j] = rows[i * 16 + j] / Math.Sqrt(n2);
        }
        for (int j = 0; j < 16; j++)
        {
            double mean = 0, ss = 0;
            for (int i = 0; i < 400; i++) mean += normed[i, j] / 400;
            for (int i = 0; i < 400; i++) ss += (normed[i, j] - mean) * (normed[i, j] - mean);
            naive += Math.Sqrt(ss / 399) / 16;   // unbiased std, as torch.std
        }
        Assert.Equal(naive, TrainingHealth.NormalisedStd(spread), 6);
        Assert.InRange(naive, 0.5 / Math.Sqrt(16), 2 / Math.Sqrt(16));   // about 1 / sqrt(d) when spread out
        Assert.True(double.IsNaN(TrainingHealth.NormalisedStd(tensor(new float[,] { { 1, float.NaN } }))));
    }

    [Fact]
    public void HealthProblemsFlagEachSignAndNothingForAHealthyEpoch()
    {
        double u = Math.Log(511);
        Assert.Empty(TrainingHealth.Problems(u - 0.2, u, 0.06, 256, 0.08, 128));
        Assert.Equal(["loss-at-uniform"], TrainingHealth.Problems(u - 0.0003, u, 0.06, 256, 0.08, 128));
        Assert.Equal(["projection-collapsed"], TrainingHealth.Problems(u - 0.2, u, 0.06, 256, 1e-5, 128));
        Assert.Equal(["representation-collapsed"], TrainingHealth.Problems(u - 0.2, u, 0.0, 256, 0.08, 128));
        Assert.Contains("non-finite", TrainingHealth.Problems(double.NaN, u, 0.06, 256, 0.08, 128));
    }

    [Fact]
    public void FinalReportLineSaysTheEncoderDidNotLearnExactlyWhenHealthFailsOrRandomInitIsNotBeaten()
    {
        var r = new TrainResults(new TrainConfig(), 1, "layer", "protocol", "knn", [], 0.5, new Dictionary<string, double>(), 1, 1, 1, []);
        Assert.StartsWith(RunReport.DidNotLearn, RunReport.FinalLine(r with { FinalHealth = "loss-at-uniform" }));
        var notLearnt = LearntVerdict.Judge(Accuracy.Of(450, 1000), Accuracy.Of(500, 1000));
        var undecided = LearntVerdict.Judge(Accuracy.Of(511, 1000), Accuracy.Of(500, 1000));
        var learnt = LearntVerdict.Judge(Accuracy.Of(700, 1000), Accuracy.Of(500, 1000));
        Assert.Equal((LearntOutcome.NotLearnt, LearntOutcome.Undecided, LearntOutcome.Learnt), (notLearnt.Outcome, undecided.Outcome, learnt.Outcome));
        Assert.StartsWith(RunReport.DidNotLearn, RunReport.FinalLine(r with { Learnt = notLearnt }));
        Assert.StartsWith(RunReport.Undecided, RunReport.FinalLine(r with { Learnt = undecided }));
        Assert.DoesNotContain(RunReport.DidNotLearn, RunReport.FinalLine(r with { Learnt = learnt }));
        Assert.DoesNotContain(RunReport.DidNotLearn, RunReport.FinalLine(r));
    }

    [Fact]
    public void IntegerTicksAreWholeNumbersInsideTheRange()
    {
        Assert.Equal([1.0, 2.0, 3.0], WhichFeatures.Reporting.PlotRenderer.IntegerTicks(0.9, 3.1));
        var many = WhichFeatures.Reporting.PlotRenderer.IntegerTicks(1, 200);
        Assert.All(many, t => Assert.Equal(Math.Round(t), t));
        Assert.InRange(many.Length, 2, 11);
    }

    [Fact]
    public void QuantileBinsMatchNumPysLinearQuantiles()
    {
        // numpy.quantile(np.arange(1, 101), [0.25, 0.5, 0.75]) = [25.75, 50.5, 75.25] (linear interpolation).
        var map = Enumerable.Range(1, 100).ToDictionary(i => ("train", (long)i), i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (ids, edges) = UserLabels.QuantileBins(map, 4);
        Assert.Equal([25.75, 50.5, 75.25], edges.Select(e => Math.Round(e, 9)));
        Assert.Equal(0, ids[("train", 25)]);
        Assert.Equal(1, ids[("train", 26)]);
        Assert.Equal(3, ids[("train", 100)]);
        Assert.Equal([25, 25, 25, 25], ids.Values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void NumericColumnIsRefusedWithAHintOrBinnedOnRequest_AndSourceIndexLinesUpWithTheLoadedSubset()
    {
        using var tmp = new TempDir();
        var csv = Path.Combine(tmp.Path, "attrs.csv");
        // The run loaded source records 10, 20, 30, ... (train) and 5, 6 (test); the file names records by source index.
        long[] trainSource = Enumerable.Range(1, 40).Select(i => (long)i * 10).ToArray(), testSource = [5, 6];
        var lines = new List<string> { "split,source_index,brightness,kind" };
        for (int s = 0; s <= 400; s += 5) lines.Add($"train,{s},{s * 0.5},{(s % 20 == 0 ? "a" : "b")}");
        lines.Add("test,5,1.0,a");
        lines.Add("test,6,190,b");
        File.WriteAllLines(csv, lines);
        var e = Assert.Throws<UserInputException>(() => UserLabels.Load(csv, trainSource, testSource));
        Assert.Contains("'brightness' is numeric", e.Message);
        Assert.Contains("--bins", e.Message);
        Assert.DoesNotContain("\n", e.Message);

        var u = UserLabels.Load(csv, trainSource, testSource, bins: 2);
        Assert.Equal("source_index", u.IndexColumn);
        Assert.Equal(lines.Count - 1 - 42, u.SkippedRows);                // 41 odd multiples of 5 in the train rows are not loaded
        Assert.Equal(2, u.Categories["brightness"].Count);
        // Positions: source 10 is position 0, source 400 is position 39.
        Assert.Equal(u.Values["kind"][("train", 1)], u.Values["kind"][("train", 3)]);   // sources 20 and 40: both "a"
        Assert.NotEqual(u.Values["kind"][("train", 0)], u.Values["kind"][("train", 1)]); // 10 "b", 20 "a"
        Assert.Equal(0, u.Values["brightness"][("train", 0)]);
        Assert.Equal(1, u.Values["brightness"][("train", 39)]);
        Assert.Equal(1, u.Values["brightness"][("test", 1)]);
    }

    [Fact]
    public void WithAValidationCarveTrainRowsBySourceIndexReachTheCarveAndTestFileRowsAreSkipped()
    {
        using var tmp = new TempDir();
        var csv = Path.Combine(tmp.Path, "attrs.csv");
        // Training records 0-9: the run trains on 0, 2, 4, 6, 8 and validates on the carve 7, 1, 3 (its "test" split).
        long[] trainSource = [0, 2, 4, 6, 8], carveSource = [1, 3, 7];
        var lines = new List<string> { "split,source_index,kind" };
        for (int s = 0; s < 10; s++) lines.Add($"train,{s},t{s % 3}");
        for (int s = 0; s < 4; s++) lines.Add($"test,{s},x");           // records of the test file: never loaded
        File.WriteAllLines(csv, lines);
        var u = UserLabels.Load(csv, trainSource, carveSource, testIsTrainingCarve: true);
        var names = u.Categories["kind"];
        string At(string split, long position) => names[u.Values["kind"][(split, position)]];
        Assert.Equal(["t0", "t2", "t1", "t0", "t2"], Enumerable.Range(0, 5).Select(i => At("train", i)));   // records 0, 2, 4, 6, 8
        Assert.Equal(["t1", "t0", "t1"], Enumerable.Range(0, 3).Select(i => At("test", i)));             // records 1, 3, 7
        Assert.Equal(4 + 2, u.SkippedRows);                                                           // 4 test-file rows + records 5, 9
        Assert.DoesNotContain("x", names);
        // Without the flag the test-file rows would land on the carve by coincidence of numbers.
        var naive = UserLabels.Load(csv, trainSource, carveSource);
        Assert.Equal("x", naive.Categories["kind"][naive.Values["kind"][("test", 1)]]);
    }

    [Theory]
    [InlineData("--superclass", "--superclasses")]
    [InlineData("--temprature", "--temperature")]
    [InlineData("--epoch", "--epochs")]
    [InlineData("--batchsize", "--batch-size")]
    public void TypoSuggestsTheNearestOption(string typo, string expected)
    {
        var candidates = CliApp.BuildRoot().Subcommands.First(c => c.Name == "train").Options.Select(o => o.Name);
        Assert.Equal(expected, ParseErrorMessage.Closest(typo, candidates));
    }

    [Fact]
    public void EditDistanceMatchesHandCounts()
    {
        Assert.Equal(0, ParseErrorMessage.EditDistance("train", "train"));
        Assert.Equal(1, ParseErrorMessage.EditDistance("trian", "train"));   // one swap
        Assert.Equal(3, ParseErrorMessage.EditDistance("kitten", "sitting"));
        Assert.Null(ParseErrorMessage.Closest("--zzzzzz", ["--epochs", "--lr"]));
    }
}
