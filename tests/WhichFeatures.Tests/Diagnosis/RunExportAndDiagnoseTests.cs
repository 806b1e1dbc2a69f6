using System.Text.Json;
using WhichFeatures.Tests.Data;
using WhichFeatures.Tests.Interop;
using WhichFeatures.Tests.Robustness;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Diagnosis;

/// <summary>Our own runs: <c>export</c> writes the representations NumPy reads exactly; <c>diagnose --run</c> reports on them.</summary>
[Collection("torch")]
public class RunExportAndDiagnoseTests
{
    [SkippableFact]
    public void ExportIsReadExactlyByNumPyAndDiagnoseRunReports()
    {
        DebianPython.Require("numpy");
        using var tmp = DataTestFiles.NewTempDir();
        var data = TinyRun.WriteData(tmp.Sub("data"));
        var run = Path.Combine(tmp.Path, "run");
        var train = CliHarness.InProcess(TinyRun.TrainArgs(data, run, "--superclasses"));   // a class/subclass hierarchy
        Assert.True(train.Code == 0, train.All);

        var export = CliHarness.InProcess("export", "--run", run, "--format", "npz", "--out", Path.Combine(tmp.Path, "exp"));
        Assert.True(export.Code == 0, export.All);
        DebianPython.RunOk("""
            import numpy as np
            for s in ('train', 'test'):
                z = np.load(f'exp/{s}.npz')
                z['embeddings'].astype('<f8').tofile(f'{s}.raw')
                z['class'].astype('<f8').tofile(f'{s}_class.raw')
            """, tmp.Path);
        using var reps = RunProber.Representations(run);
        Assert.Equal(reps.TrainFeatures.data<float>().ToArray().Select(v => (double)v).ToArray(), DebianPython.RawDoubles(Path.Combine(tmp.Path, "train.raw")));
        Assert.Equal(reps.TestFeatures.data<float>().ToArray().Select(v => (double)v).ToArray(), DebianPython.RawDoubles(Path.Combine(tmp.Path, "test.raw")));
        Assert.Equal(reps.Test.LabelValues().Select(v => (double)v).ToArray(), DebianPython.RawDoubles(Path.Combine(tmp.Path, "test_class.raw")));

        var outDir = Path.Combine(tmp.Path, "diag");
        var diag = CliHarness.InProcess("diagnose", "--run", run, "--out", outDir);
        Assert.True(diag.Code == 0, diag.All);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var ids = doc.RootElement.GetProperty("claims").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains("attribute:class", ids);
        Assert.Contains("feature-suppression", ids);
        Assert.Contains($"train/test ({TinyRun.TrainImages} / {TinyRun.TestImages} rows)", diag.Out);

        // One definition per verdict: diagnose --run compares with the run's random initialisation, as train did,
        // so the verdicts of both verbs are the same sentences.
        Assert.Contains("reference: random initialisation", diag.Out);
        using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        var claims = doc.RootElement.GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        string TrainSuppression(string label) => trained.RootElement.GetProperty("suppression").EnumerateArray()
            .Single(v => v.GetProperty("attribute").GetString() == label).GetProperty("sentence").GetString()!;
        Assert.Equal(TrainSuppression("class"), claims["attribute:class"].GetProperty("evidence").GetProperty("suppression").GetProperty("sentence").GetString());
        Assert.Contains(TrainSuppression("class"), claims["feature-suppression"].GetProperty("notes").GetString());
        Assert.Equal(trained.RootElement.GetProperty("subclassCollapse").GetProperty("sentence").GetString(), claims["class-collapse"].GetProperty("statement").GetString());
    }
}
