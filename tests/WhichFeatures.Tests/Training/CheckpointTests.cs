using TorchSharp;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Training;

[Collection("torch")]
public class CheckpointTests
{
    private static (nn.Module<Tensor, Tensor> model, optim.Optimizer opt) Make(int seed)
    {
        manual_seed(seed);
        var model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2));
        var opt = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        return (model, opt);
    }

    private static double TrainSteps(nn.Module<Tensor, Tensor> model, optim.Optimizer opt, int steps)
    {
        double last = 0;
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            var x = randn(16, 4);
            opt.zero_grad();
            var loss = model.forward(x).pow(2).mean();
            loss.backward();
            opt.step();
            last = loss.ToDouble();
        }
        return last;
    }

    [Fact]
    public void ResumeReproducesTheUninterruptedRunExactly()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wf-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (m1, o1) = Make(7);
            TrainSteps(m1, o1, 5);
            Checkpoint.Save(dir, new Checkpoint.Header("{}", 1, 5, "[]", DateTime.UtcNow), m1, [o1]);
            double uninterrupted = TrainSteps(m1, o1, 5);

            var (m2, o2) = Make(99); // different init: everything must come from the checkpoint
            var header = Checkpoint.LoadLatest(dir, m2, [o2]);
            Assert.NotNull(header);
            Assert.Equal(5, header!.Step);
            double resumed = TrainSteps(m2, o2, 5);
            Assert.Equal(uninterrupted, resumed); // bitwise: same weights, momentum buffers, BN stats and RNG stream
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void CorruptNewestCheckpointFallsBackToThePreviousOne()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wf-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (m, o) = Make(1);
            Checkpoint.Save(dir, new Checkpoint.Header("{}", 1, 10, "[]", DateTime.UtcNow), m, [o]);
            Checkpoint.Save(dir, new Checkpoint.Header("{}", 2, 20, "[]", DateTime.UtcNow), m, [o]);
            var newest = Path.Combine(dir, Checkpoint.FileName(2));
            var bytes = File.ReadAllBytes(newest);
            File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]); // truncated, as by a crash mid-copy

            var warnings = new List<string>();
            var header = Checkpoint.LoadLatest(dir, m, [o], warnings.Add);
            Assert.Equal(1, header!.Epoch);
            Assert.Contains(warnings, w => w.Contains("checksum mismatch") && w.Contains(Checkpoint.FileName(2)));

            // Corrupt the remaining one too: a clear error naming the problem, not a crash.
            var first = Path.Combine(dir, Checkpoint.FileName(1));
            var b1 = File.ReadAllBytes(first); b1[100] ^= 0xFF; File.WriteAllBytes(first, b1);
            var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.LoadLatest(dir, m, [o]));
            Assert.Contains("no usable checkpoint", e.Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void CheckpointWithoutChecksumIsIgnoredAndOldOnesArePruned()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wf-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (m, o) = Make(2);
            for (int e = 1; e <= 4; e++) Checkpoint.Save(dir, new Checkpoint.Header("{}", e, e, "[]", DateTime.UtcNow), m, [o], keep: 2);
            Assert.Equal([4, 3], Checkpoint.List(dir).Select(c => c.Epoch));
            File.Delete(Path.Combine(dir, Checkpoint.FileName(4) + ".sha256")); // killed between the two writes
            Assert.Equal(3, Checkpoint.LoadLatest(dir, m, [o])!.Epoch);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void ScheduleWarmsUpThenDecaysToTheFinalRate()
    {
        var s = new WarmupCosineSchedule(1.0, totalSteps: 110, warmupSteps: 10, finalFraction: 0.01);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(1.0, s.At(9), 12);
        Assert.Equal(1.0, s.At(10), 12);
        Assert.Equal(0.01 + 0.99 * 0.5 * (1 + Math.Cos(Math.PI * 50 / 99.0)), s.At(60), 12);
        Assert.Equal(0.01, s.At(109), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(0, 10, 1));
    }
}
