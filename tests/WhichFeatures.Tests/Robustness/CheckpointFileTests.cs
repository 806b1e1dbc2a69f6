using WhichFeatures.Tests.Data;
using WhichFeatures.Training;
using static TorchSharp.torch;

namespace WhichFeatures.Tests.Robustness;

/// <summary>Checkpoint files of interrupted runs: naming and order of mid-epoch checkpoints, stale temporaries, header fields.</summary>
[Collection("torch")]
public class CheckpointFileTests
{
    [Fact]
    public void MidEpochCheckpointsSortBetweenTheirEpochBoundaries()
    {
        Assert.Equal("checkpoint-0003.wfck", Checkpoint.FileName(3));
        Assert.Equal("checkpoint-0003-000017.wfck", Checkpoint.FileName(3, 17));
        using var tmp = DataTestFiles.NewTempDir();
        string[] names = [Checkpoint.FileName(1), Checkpoint.FileName(2, 5), Checkpoint.FileName(2), Checkpoint.FileName(1, 40), Checkpoint.FileName(2, 12), "checkpoint-x.wfck", "checkpoint-0001-y.wfck"];
        foreach (var n in names) File.WriteAllText(Path.Combine(tmp.Path, n), "");
        var listed = Checkpoint.List(tmp.Path).Select(c => Path.GetFileName(c.Path)).ToArray();
        // Newest first: after 2 epochs + 12 steps, + 5 steps, 2 epochs, 1 epoch + 40 steps, 1 epoch; junk names ignored.
        Assert.Equal([Checkpoint.FileName(2, 12), Checkpoint.FileName(2, 5), Checkpoint.FileName(2), Checkpoint.FileName(1, 40), Checkpoint.FileName(1)], listed);
    }

    [Fact]
    public void MidEpochHeaderRoundTripsAndOnlyStaleTemporariesAreRemoved()
    {
        using var tmp = DataTestFiles.NewTempDir();
        using var scope = NewDisposeScope();
        manual_seed(1);
        var model = nn.Linear(3, 2);
        var opt = optim.SGD(model.parameters(), 0.1);
        using var g = new Generator(42);
        using var _ = randperm(10, generator: g);
        using var state = g.get_state();
        var header = new Checkpoint.Header("{\"a\":1}", 4, 123, "[]", DateTime.UtcNow)
        {
            StepInEpoch = 7, AugmentGeneratorState = Convert.ToBase64String(state.data<byte>().ToArray()), EpochLossSum = 12.5, LearningRate = 0.01,
        };
        var path = Checkpoint.Save(tmp.Path, header, model, [opt]);
        Assert.Equal(Checkpoint.FileName(4, 7), Path.GetFileName(path));
        var back = Checkpoint.Load(path, model, [opt]);
        Assert.Equal((7, 12.5, 0.01, header.AugmentGeneratorState), (back.StepInEpoch, back.EpochLossSum, back.LearningRate, back.AugmentGeneratorState));

        // The restored generator state continues the same random stream.
        using var restored = new Generator(0);
        using var bytes = tensor(Convert.FromBase64String(back.AugmentGeneratorState!), dtype: ScalarType.Byte);
        restored.set_state(bytes);
        using var a = rand(5, generator: g);
        using var b = rand(5, generator: restored);
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());

        File.WriteAllText(Path.Combine(tmp.Path, ".checkpoint-0005.wfck.123.abc.tmp"), "half");
        File.WriteAllText(Path.Combine(tmp.Path, ".results.json.123.abc.tmp"), "not ours");
        Assert.Equal(1, Checkpoint.RemoveStaleTemporaries(tmp.Path));
        Assert.True(File.Exists(Path.Combine(tmp.Path, ".results.json.123.abc.tmp")));
        Assert.True(File.Exists(path));
    }
}
