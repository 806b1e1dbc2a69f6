using System.Text.Json;
using WhichFeatures.Core;
using WhichFeatures.Data;
using WhichFeatures.Evaluation;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using WhichFeatures.Verdicts;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

/// <summary>
/// The final evaluation of a run and a later <c>probe</c> of it, each against the same numbers assembled here from
/// the parts they are documented to use: the offline probes and kNN on the last epoch's frozen encoder output, chance
/// and majority per label, the same architecture at its seeded initialisation, the within-class subclass verdict and
/// the learnt verdict. A probe of the finished run reloads the checkpoint and must give the final evaluation's numbers.
/// </summary>
[Collection("torch")]
public class FinalEvaluationTests
{
    [Fact]
    public void FinalEvaluationAndALaterProbeReportTheDocumentedNumbers()
    {
        using var tmp = DataTestFiles.NewTempDir();
        // Random pixels and labels: the encoder learns nothing, but every label gets its own accuracies (on a
        // dataset where every probe scores 1.0, a mix-up of labels would not show).
        var data = tmp.Sub("data");
        Directory.CreateDirectory(data);
        DataTestFiles.WriteCifar10(data, new Random(8), gz: false, n1: 40, n3: 24, nTest: 40);
        var runDir = tmp.Sub("run");
        var cfg = new TrainConfig
        {
            Dataset = "cifar10", DataDir = data, Superclasses = true, Model = "convnet", Epochs = 2, BatchSize = 32,
            Seed = 3, Device = DeviceChoice.Cpu, Threads = 1, ProjectionDim = 16,
        };
        var (train, test) = TrainData.Load(cfg);
        using var _tr = train;
        using var _te = test;
        var outcome = new ContrastiveTrainer(cfg, train, test, runDir).Run();
        using var _in = outcome.Input;
        using var _m = outcome.Model;
        using var _p = outcome.Probes;
        var r = FinalEvaluation.Write(runDir, cfg, outcome, train, test, wallSeconds: 1.5);

        using var scope = NewDisposeScope();
        var trainF = FeatureExtractor.Extract(outcome.Model, outcome.Input, train, CPU);
        var testF = FeatureExtractor.Extract(outcome.Model, outcome.Input, test, CPU);
        var expected = new ProbeSuite().Run(trainF, testF);
        var (rTrain, rTest) = RunBaselines.RandomInitFeatures(cfg, train, test, CPU);
        var random = new ProbeSuite(withKnn: false).Run(rTrain, rTest).Probes;
        Assert.Equal(expected.Probes.Select(p => p.Label), r.Probes.Select(p => p.Label));
        Assert.Equal(random.Count, random.Select(p => p.TestAccuracy).Distinct().Count());   // the labels are told apart
        foreach (var (got, want, rand) in r.Probes.Zip(expected.Probes, random))
        {
            Assert.Equal(want.TestAccuracy, got.TestAccuracy, 12);
            Assert.Equal(want.TrainAccuracy, got.TrainAccuracy, 12);
            Assert.Equal(LabelBaselines.Chance(train.Labels[got.Label]), got.Chance);
            Assert.Equal(LabelBaselines.Majority(train.Labels[got.Label], test.Labels[got.Label]), got.Majority);
            Assert.Equal(rand.TestAccuracy, got.RandomInit!.Value, 12);
        }
        Assert.Equal(expected.KnnClassAccuracy, r.KnnClassAccuracy, 12);

        var within = new WithinClassSubclassProbe(new LogisticRegressionProbe(), new KnnClassifier());
        Tensor C(ImageDataset d) => d.Labels[LabelKeys.Class];
        Tensor S(ImageDataset d) => d.Labels[LabelKeys.Subclass];
        var trained = within.Run(trainF.Features, C(train), S(train), testF.Features, C(test), S(test));
        var atInit = within.Run(rTrain.Features, C(train), S(train), rTest.Features, C(test), S(test));
        Assert.NotNull(r.SubclassCollapse);
        // The shared verdict, from the within-class probe and kNN of the trained and the random-init encoder.
        Readout Within(WithinClassSubclassProbe.Result x) => new(Accuracy.FromRate(x.MeanAccuracy, x.Rows), Accuracy.FromRate(x.MeanKnnAccuracy, x.Rows));
        Assert.Equal(CollapseVerdict.Judge(Within(trained), Within(atInit), ReferenceKind.RandomInit, trained.MeanChance), r.SubclassCollapse);
        Assert.Equal(Math.Max(trained.MeanAccuracy, trained.MeanKnnAccuracy), r.SubclassCollapse!.Value.Value, 12);
        double cls = r.Probes.Single(p => p.Label == LabelKeys.Class).TestAccuracy;
        double clsInit = random.Single(p => p.Label == LabelKeys.Class).TestAccuracy;
        Assert.Equal(LearntVerdict.Judge(Accuracy.FromRate(cls, test.Count), Accuracy.FromRate(clsInit, test.Count)), r.Learnt);

        Assert.Equal(2, r.Epochs);
        Assert.Same(outcome.History, r.History);
        Assert.Equal(outcome.History[^1].OnlineTestAccuracy, r.OnlineFinal);
        Assert.Equal(outcome.History[^1].Health, r.FinalHealth);
        Assert.Equal((1.5, outcome.History.Average(h => h.ImagesPerSecond)), (r.WallSeconds, r.MeanImagesPerSecond));
        Assert.Contains("before the projection head", r.Layer);
        var saved = JsonSerializer.Deserialize<TrainResults>(File.ReadAllText(Path.Combine(runDir, "results.json")), RunJson.Options)!;
        Assert.Equal(cls, saved.Probes.Single(p => p.Label == LabelKeys.Class).TestAccuracy);
        Assert.True(File.Exists(Path.Combine(runDir, "report.html")));
        // The t-SNE map of the test representations: every test row (fewer than the subsample cap), the map of
        // those features recomputed here, and the class and subclass plots in the report.
        Assert.NotNull(saved.Map);
        Assert.Equal(((int)test.Count, test.Count), (saved.Map!.Rows, saved.Map.OfRows));
        Assert.Equal(["tsne_class.png", "tsne_subclass.png"], saved.Map.Files);
        var csv = File.ReadAllLines(Path.Combine(runDir, "tsne.csv"));
        Assert.Equal(test.Count + 1, csv.Length);
        var map = WhichFeatures.Maps.Tsne.Fit(testF.Features, new WhichFeatures.Maps.TsneOptions(perplexity: saved.Map.Perplexity, seed: cfg.Seed));
        var first = csv[1].Split(',');
        Assert.Equal((0.0, map.Coordinates[0], map.Coordinates[1]), (double.Parse(first[0]), double.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture), double.Parse(first[2], System.Globalization.CultureInfo.InvariantCulture)));
        var html = File.ReadAllText(Path.Combine(runDir, "report.html"));
        foreach (var f in saved.Map.Files) Assert.True(new FileInfo(Path.Combine(runDir, f)).Length > 1000 && html.Contains(f), f);
        Assert.Contains(WhichFeatures.Maps.MapSummary.Caveat, html);

        // probe: reloads the last checkpoint, so it must reproduce the final evaluation exactly.
        var probed = RunProber.Probe(runDir);
        Assert.Equal(2, probed.Epoch);
        foreach (var p in probed.Probes)
        {
            var f = r.Probes.Single(x => x.Label == p.Label);
            Assert.Equal((f.TestAccuracy, f.RandomInit, f.Chance, f.Majority), (p.TestAccuracy, p.RandomInit, p.Chance, p.Majority));
        }
        Assert.Equal(r.KnnClassAccuracy, probed.KnnClassAccuracy, 12);
        Assert.Equal(r.SubclassCollapse, probed.SubclassCollapse);
        Assert.Equal(r.Learnt, probed.Learnt);
        Assert.Equal(r.Suppression!.Select(v => v.Sentence), probed.Suppression!.Select(v => v.Sentence));
        Assert.Equal(data, probed.DataDir);
        Assert.Null(probed.LabelsFile);
        // --random-init: the seeded initialisation, epoch 0, no verdicts, its own file.
        var init = RunProber.Probe(runDir, randomInit: true);
        Assert.Equal(0, init.Epoch);
        Assert.Equal(clsInit, init.Probes.Single(p => p.Label == LabelKeys.Class).TestAccuracy, 12);
        Assert.Null(init.SubclassCollapse);
        Assert.Null(init.Probes[0].RandomInit);
        Assert.Equal(["probe-builtin-random-init.json", "probe-builtin.json"],
            Directory.GetFiles(runDir, "probe-*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, RunProber.ReadProbeFiles(runDir).Count);
        var rerendered = JsonSerializer.Deserialize<TrainResults>(File.ReadAllText(Path.Combine(runDir, "results.json")), RunJson.Options)!;
        Assert.Equal(2, rerendered.LaterProbes!.Count);

        // The final health is the LAST epoch's, whatever the earlier ones said; the plots go with the report.
        var sick = outcome with { History = [outcome.History[0], outcome.History[1] with { Health = "loss-at-uniform" }] };
        var sickDir = tmp.Sub("sick");
        Directory.CreateDirectory(sickDir);
        var s = FinalEvaluation.Write(sickDir, cfg, sick, train, test, wallSeconds: 1.5);
        Assert.Equal("loss-at-uniform", s.FinalHealth);
        Assert.Contains("loss-at-uniform", File.ReadAllText(Path.Combine(sickDir, "results.json")));
        foreach (var png in new[] { "probe_curves.png", "loss.png" })
            Assert.True(new FileInfo(Path.Combine(sickDir, png)).Length > 1000, $"{png} not written");
    }

    [Fact]
    public void AProbeOfSomethingThatIsNotARunFolderIsAOneLineUserError()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var file = Path.Combine(tmp.Path, "config.json");
        File.WriteAllText(file, "{ not json");
        Assert.Contains("is a file; pass the run folder", Assert.Throws<UserInputException>(() => RunProber.ReadConfig(file)).Message);
        Assert.EndsWith("folder not found.", Assert.Throws<UserInputException>(() => RunProber.ReadConfig(Path.Combine(tmp.Path, "missing"))).Message);
        var empty = tmp.Sub("empty");
        Directory.CreateDirectory(empty);
        Assert.Contains("no config.json", Assert.Throws<UserInputException>(() => RunProber.ReadConfig(empty)).Message);
        Assert.Contains("not a valid run configuration", Assert.Throws<UserInputException>(() => RunProber.ReadConfig(tmp.Path)).Message);
        File.WriteAllText(file, "{ \"epochs\": 0 }");
        Assert.StartsWith("--epochs 0", Assert.Throws<UserInputException>(() => RunProber.ReadConfig(tmp.Path)).Message);
        Assert.Equal("probe-builtin.json", RunProber.ResultFileName(null, false));
        Assert.Equal("probe-colours-random-init.json", RunProber.ResultFileName("/x/colours.csv", true));
        Assert.False(RunProber.RerenderReport(empty));
        Assert.Empty(RunProber.ReadProbeFiles(Path.Combine(tmp.Path, "missing")));
    }
}
