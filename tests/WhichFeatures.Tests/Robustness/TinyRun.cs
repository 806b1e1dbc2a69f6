using System.Globalization;
using System.Text;
using System.Text.Json;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Robustness;

/// <summary>
/// A tiny CIFAR-10 folder in the official binary format (160 train images in data_batch_1.bin, 64 test images)
/// whose classes differ in colour, and the standard short training run on it: convnet, batch 32 (5 steps per
/// epoch), 2 epochs, one thread, CPU, fixed seed.
/// </summary>
internal static class TinyRun
{
    public const int TrainImages = 160, TestImages = 64, BatchSize = 32, Epochs = 2;
    public const int StepsPerEpoch = TrainImages / BatchSize;

    /// <summary>Writes the dataset into <paramref name="dir"/>; class c is brighter in channel c % 3, plus noise.</summary>
    public static string WriteData(string dir, int seed = 5)
    {
        var rng = new Random(seed);
        byte[] Records(int n)
        {
            var labels = new byte[n][];
            var pixels = new byte[n * DataTestFiles.CifarPixels];
            for (int i = 0; i < n; i++)
            {
                int c = i % 10;
                labels[i] = [(byte)c];
                for (int ch = 0; ch < 3; ch++)
                for (int p = 0; p < 1024; p++)
                {
                    int v = (ch == c % 3 ? 60 + 15 * c : 90) + rng.Next(-40, 41);
                    pixels[i * DataTestFiles.CifarPixels + ch * 1024 + p] = (byte)Math.Clamp(v, 0, 255);
                }
            }
            return DataTestFiles.CifarRecords(labels, pixels);
        }
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "data_batch_1.bin"), Records(TrainImages));
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), Records(TestImages));
        return dir;
    }

    /// <summary>Arguments of the standard run (+ <paramref name="extra"/>).</summary>
    public static string[] TrainArgs(string dataDir, string outDir, params string[] extra) =>
    [
        "train", "--dataset", "cifar10", "--data-dir", dataDir, "--model", "convnet", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture),
        "--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture), "--threads", "1", "--seed", "3", "--device", "cpu", "--out", outDir, .. extra,
    ];

    /// <summary>
    /// Everything a run measures that must not depend on interruptions: per epoch the step, loss (metrics.csv and
    /// results.json history, round-trip precision), learning rate, kNN and online-probe accuracies; the final
    /// offline probe accuracies and kNN. Timings and memory are left out.
    /// </summary>
    public static string Summary(string runDir)
    {
        var sb = new StringBuilder();
        var lines = File.ReadAllLines(Path.Combine(runDir, "metrics.csv"));
        var header = lines[0].Split(',');
        var keep = header.Select((h, i) => (h, i)).Where(t => t.h is not ("seconds" or "images_per_s" or "rss_mb")).ToList();
        foreach (var line in lines)
        {
            var cells = line.Split(',');
            sb.AppendLine("csv " + string.Join(",", keep.Select(t => cells[t.i])));
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "results.json")));
        var r = doc.RootElement;
        foreach (var p in r.GetProperty("probes").EnumerateArray())
            sb.AppendLine($"probe {p.GetProperty("label")} train {p.GetProperty("trainAccuracy").GetRawText()} test {p.GetProperty("testAccuracy").GetRawText()}");
        sb.AppendLine($"knn {r.GetProperty("knnClassAccuracy").GetRawText()}");
        sb.AppendLine($"online {r.GetProperty("onlineFinal").GetRawText()}");
        foreach (var h in r.GetProperty("history").EnumerateArray())
            sb.AppendLine($"history {h.GetProperty("epoch")} step {h.GetProperty("step")} loss {h.GetProperty("loss").GetRawText()} lr {h.GetProperty("learningRate").GetRawText()}");
        return sb.ToString();
    }

    /// <summary>A fresh temp folder for one test (removed by the caller's TempDir).</summary>
    public static TempDir NewTemp() => DataTestFiles.NewTempDir();
}
