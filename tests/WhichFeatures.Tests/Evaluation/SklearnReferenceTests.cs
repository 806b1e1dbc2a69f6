using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using WhichFeatures.Evaluation;
using WhichFeatures.Tests.Data;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Evaluation;

/// <summary>
/// The offline probe against scikit-learn's multinomial <c>LogisticRegression</c> (lbfgs) on the same standardised
/// features with the same L2: our objective is mean cross-entropy + WeightDecay / 2 * ||W||^2, which is
/// scikit-learn's with C = 1 / (WeightDecay * N). Datasets are made here, passed to Debian's /usr/bin/python3 as
/// CSV files. Skips with a message only where that Python or its scikit-learn is missing (CI installs them).
/// </summary>
[Collection("torch")]
public class SklearnReferenceTests
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, numpy as np
        from sklearn.linear_model import LogisticRegression
        folder, c = sys.argv[1], float(sys.argv[2])
        xtr = np.loadtxt(folder + "/train_x.csv", delimiter=",", ndmin=2)
        ytr = np.loadtxt(folder + "/train_y.csv", dtype=np.int64, ndmin=1)
        xte = np.loadtxt(folder + "/test_x.csv", delimiter=",", ndmin=2)
        yte = np.loadtxt(folder + "/test_y.csv", dtype=np.int64, ndmin=1)
        m = LogisticRegression(C=c, solver="lbfgs", multi_class="multinomial", max_iter=10000, tol=1e-10).fit(xtr, ytr)
        print(repr(float((m.predict(xtr) == ytr).mean())))
        print(repr(float((m.predict(xte) == yte).mean())))
        np.savetxt(folder + "/test_proba.csv", m.predict_proba(xte), delimiter=",", fmt="%.17g")
        """;

    private static string? SkipReason()
    {
        if (!File.Exists(Python)) return $"{Python} not found: the scikit-learn reference check needs Debian's python3-sklearn";
        var (code, _, err) = Run("-c \"import sklearn, numpy\"");
        return code == 0 ? null : $"{Python} has no scikit-learn/numpy ({err.Trim()}): install python3-sklearn python3-numpy";
    }

    private static (int Code, string Out, string Err) Run(string arguments)
    {
        var psi = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    private static void WriteCsv(string path, Tensor t)
    {
        var x = t.to_type(ScalarType.Float64).contiguous();
        long rows = x.shape[0], cols = x.dim() == 2 ? x.shape[1] : 1;
        var v = x.data<double>().ToArray();
        var sb = new StringBuilder();
        for (long i = 0; i < rows; i++)
            sb.AppendLine(string.Join(",", Enumerable.Range(0, (int)cols).Select(j => v[i * cols + j].ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Gaussian classes around random centres (overlapping at <paramref name="noise"/>), not centred, unequal scales.</summary>
    private static (Tensor X, Tensor Y) Make(Generator g, Tensor centres, Tensor scale, int n, double noise)
    {
        var y = randint(0, centres.shape[0], [n], dtype: ScalarType.Int64, generator: g);              // [n]
        var x = (centres[y] + noise * randn([n, centres.shape[1]], dtype: ScalarType.Float64, generator: g)) * scale + 1.5; // [n, D]
        return (x, y);
    }

    [SkippableTheory]
    [InlineData(3, 8, 300, 1.0, 1e-4, 11)]
    [InlineData(5, 12, 400, 1.2, 1e-2, 12)]
    [InlineData(2, 4, 200, 1.5, 1e-3, 13)]
    [InlineData(4, 20, 150, 1.0, 1e-1, 14)]
    public void OfflineProbeMatchesScikitLearn(int classes, int dims, int n, double noise, double weightDecay, int seed)
    {
        var reason = SkipReason();
        Skip.If(reason is not null, reason);
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var centres = randn([classes, dims], dtype: ScalarType.Float64, generator: g);                  // [K, D]
        var scale = rand([1, dims], dtype: ScalarType.Float64, generator: g) * 4 + 0.25;                // [1, D]
        var (xtr, ytr) = Make(g, centres, scale, n, noise);
        var (xte, yte) = Make(g, centres, scale, n / 2, noise);

        var probe = new LogisticRegressionProbe { WeightDecay = weightDecay };
        var (trainAcc, testAcc) = probe.FitAndScore(xtr, ytr, xte, yte, classes);
        using var fitted = probe.Fit(xtr, ytr, classes);

        // Both sides see the same standardised features: training mean and (unbiased) std, computed here.
        var mean = xtr.mean([0], keepdim: true);                                                        // [1, D]
        var std = xtr.std(0, keepdim: true);                                                            // [1, D]
        using var tmp = DataTestFiles.NewTempDir();
        WriteCsv(Path.Combine(tmp.Path, "train_x.csv"), (xtr - mean) / std);
        WriteCsv(Path.Combine(tmp.Path, "train_y.csv"), ytr);
        WriteCsv(Path.Combine(tmp.Path, "test_x.csv"), (xte - mean) / std);
        WriteCsv(Path.Combine(tmp.Path, "test_y.csv"), yte);
        var script = Path.Combine(tmp.Path, "reference.py");
        File.WriteAllText(script, Script);
        double c = 1.0 / (weightDecay * n);
        var (code, stdout, stderr) = Run($"\"{script}\" \"{tmp.Path}\" {c.ToString("R", CultureInfo.InvariantCulture)}");
        Assert.True(code == 0, $"scikit-learn reference failed ({code}):\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double skTrain = double.Parse(lines[0], CultureInfo.InvariantCulture), skTest = double.Parse(lines[1], CultureInfo.InvariantCulture);

        Assert.True(Math.Abs(trainAcc - skTrain) <= 0.005, $"train accuracy {trainAcc} vs scikit-learn {skTrain}");
        Assert.True(Math.Abs(testAcc - skTest) <= 0.005, $"test accuracy {testAcc} vs scikit-learn {skTest}");
        Assert.InRange(testAcc, 1.0 / classes + 0.1, 0.999);   // neither chance nor trivially separable: the comparison means something

        // Where the penalty makes the optimum well conditioned, the probabilities agree too (this checks the L2 mapping).
        if (weightDecay >= 1e-3)
        {
            var ours = softmax(fitted.Logits(xte), 1).data<double>().ToArray();                         // [M, K]
            var theirs = File.ReadAllLines(Path.Combine(tmp.Path, "test_proba.csv"))
                .SelectMany(l => l.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture))).ToArray();
            Assert.Equal(theirs.Length, ours.Length);
            double worst = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 2e-3, $"largest probability difference to scikit-learn {worst}");
        }
    }
}
