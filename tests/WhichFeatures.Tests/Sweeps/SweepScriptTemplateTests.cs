using WhichFeatures.Experiments.Theory;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Sweeps.Reference;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// slurm.sbatch and k8s-job.yaml from the templates in src/WhichFeatures/Sweeps/SweepScripts.cs are byte for byte what
/// the StringBuilder generator they replaced wrote (kept as <see cref="StringBuilderSweepScripts"/>), for every
/// combination of the options that add, drop or reshape lines.
/// </summary>
public class SweepScriptTemplateTests
{
    public static TheoryData<string?, bool, int, string, string, string, int> Combinations()
    {
        var data = new TheoryData<string?, bool, int, string, string, string, int>();
        foreach (var partition in new[] { null, "gpu-long" })
            foreach (var gpu in new[] { false, true })
                foreach (var (maxParallel, memory) in new[] { (0, "8G"), (3, "16000"), (50, "512M") })
                {
                    data.Add(partition, gpu, maxParallel, memory, "whichfeatures", "/scratch/sweep", 7);
                    data.Add(partition, gpu, maxParallel, memory, "dotnet '/opt/my wf/WhichFeatures.Cli.dll'", "/home/o'neil/a sweep", 1);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Scripts_are_byte_identical_to_the_StringBuilder_generator(string? partition, bool gpu, int maxParallel, string memory, string launcher, string sweepDir, int units)
    {
        var cluster = new ClusterOptions { Partition = partition, Gpu = gpu, MaxParallel = maxParallel, Memory = memory, Launcher = launcher, Time = "1-02:00:00", CpusPerTask = 4, Image = "reg.example/wf:\"1\"" };
        foreach (var suite in new[] { SuiteKind.Theory, SuiteKind.Real })
        {
            var plan = new SweepPlan(suite, ["toy"], new TheoryRunOptions(), null, null, cluster);
            Assert.Equal(StringBuilderSweepScripts.Slurm(sweepDir, plan, units), SweepScripts.Slurm(sweepDir, plan, units));
            Assert.Equal(StringBuilderSweepScripts.Kubernetes(plan, units), SweepScripts.Kubernetes(plan, units));
        }
    }

    [Fact]
    public void An_optional_line_is_dropped_when_its_value_is_null_and_values_are_not_expanded_again()
    {
        var values = new Dictionary<string, string?> { ["a"] = "{{b}}", ["b"] = null };
        Assert.Equal("x {{b}}\nz", ScriptTemplate.Fill("x {{a}}\ny {{b?}}\nz", values));
        Assert.Throws<KeyNotFoundException>(() => ScriptTemplate.Fill("{{missing}}", values));
    }
}
