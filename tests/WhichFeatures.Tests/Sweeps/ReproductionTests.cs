using WhichFeatures.Core;
using WhichFeatures.Experiments.Real;
using WhichFeatures.Reporting;
using WhichFeatures.Sweeps;
using WhichFeatures.Tests.Data;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>
/// `reproduce` as the library runs it (src/WhichFeatures/Sweeps/Reproduction.cs, LocalReproduction.cs): the defaults it
/// chooses, the options it refuses before any folder exists, and plan → run → collect on cheap theory units.
/// </summary>
[Collection("torch")]
public class ReproductionTests
{
    // The cheapest theory units, as in SweepFlowTests: a second or two for all five.
    private static readonly ReproduceOptions Cheap = new() { Seeds = 2, Quick = true, Only = "toy, cc-minimizers,joint" };

    [Theory]
    [InlineData(SuiteKind.Theory, false, 3)]
    [InlineData(SuiteKind.Theory, true, 3)]
    [InlineData(SuiteKind.Real, false, 3)]
    [InlineData(SuiteKind.Real, true, 2)]
    public void Default_seed_count_is_3_and_2_for_the_real_smoke_run(SuiteKind suite, bool quick, int expected) =>
        Assert.Equal(expected, ReproduceDefaults.Seeds(suite, quick));

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(0, 2, 1)]
    [InlineData(4, 1, 4)]
    [InlineData(4, 3, 4)]
    [InlineData(-1, 1, -1)]
    public void Units_side_by_side_get_one_thread_unless_threads_are_given(int threads, int jobs, int expected) =>
        Assert.Equal(expected, ReproduceDefaults.Threads(threads, jobs));

    [Fact]
    public void Prepare_fills_the_suite_defaults()
    {
        // Threads stay 0 here: a positive count would set the test host's torch threads for every later test.
        var theory = Reproduction.Prepare(new ReproduceOptions { Quick = true });
        Assert.Equal(3, theory.Theory!.Seeds);
        Assert.Equal(1, theory.Theory.BaseSeed);
        Assert.Equal(0, theory.Threads);
        Assert.Null(theory.Real);
        var real = Reproduction.Prepare(new ReproduceOptions { Suite = SuiteKind.Real, Quick = true, DataDir = Path.GetTempPath(), Only = "fs-embedding-mnist-randbit" });
        Assert.Equal(2, real.Real!.Seeds);
        Assert.Equal(new RealRunOptions().BaseSeed, real.Real.BaseSeed);
        Assert.Equal(["fs-embedding-mnist-randbit"], real.RealExperiments.Select(e => e.Name));
        Assert.Equal(7, Reproduction.Prepare(new ReproduceOptions { BaseSeed = 7 }).Theory!.BaseSeed);
    }

    [Theory]
    [InlineData(SuiteKind.Real, true, true)]
    [InlineData(SuiteKind.Real, false, false)]
    [InlineData(SuiteKind.Theory, true, true)]
    public void Only_a_quick_plan_is_a_smoke_run_whose_suite_progress_says_so(SuiteKind suite, bool quick, bool smoke)
    {
        // The smoke-run note, the report headlines and results.json's smokeRun all read SweepPlan.IsSmokeRun (ReproduceCliTests).
        var (plan, units) = Reproduction.Prepare(new ReproduceOptions { Suite = suite, Quick = quick, DataDir = suite == SuiteKind.Real ? Path.GetTempPath() : null, Only = suite == SuiteKind.Real ? "cc-over-training" : "toy" })
            .Plan(new ClusterOptions());
        Assert.Equal(smoke, plan.IsSmokeRun);
        var rec = new RecordingProgress();
        using (new SuiteProgress(rec, Path.GetTempPath(), units, plan.IsSmokeRun)) { }
        Assert.Equal(smoke, rec.Tasks[0].Name.Contains("(smoke run)"));
    }

    [Theory]
    [InlineData("--seeds 0", 0, 1, 0, SuiteKind.Theory)]
    [InlineData("--jobs 0", 1, 0, 0, SuiteKind.Theory)]
    [InlineData("--threads -1", 1, 1, -1, SuiteKind.Theory)]
    [InlineData("--data-dir", 1, 1, 0, SuiteKind.Real)]
    public void Prepare_refuses_bad_options(string expected, int seeds, int jobs, int threads, SuiteKind suite)
    {
        var e = Assert.Throws<UserInputException>(() => Reproduction.Prepare(new ReproduceOptions { Suite = suite, Seeds = seeds, Jobs = jobs, Threads = threads }));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Plan_run_collect_gives_the_claims_of_running_the_sweep_by_hand_and_a_rerun_continues()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var reproduction = Reproduction.Prepare(Cheap);
        var (plan, units) = reproduction.Plan(new ClusterOptions());
        Assert.Equal(["toy", "cc-minimizers", "joint"], plan.Experiments);

        var local = Path.Combine(tmp.Path, "local");
        Directory.CreateDirectory(local);
        var output = new StringWriter();
        var run = LocalReproduction.Run(local, plan, units, jobs: 1, self: null, "test", output, NullProgress.Instance);
        Assert.Equal(["toy", "cc-minimizers", "joint"], run.Results.Select(r => r.Name));
        Assert.Equal(RunWriter.SmokeRunNote + Environment.NewLine, output.ToString());

        var byHand = Path.Combine(tmp.Path, "by-hand");
        SweepFolder.Write(byHand, plan, units);
        Assert.All(SweepRunner.RunAll(byHand, units, jobs: 1, NullProgress.Instance), r => Assert.Equal(UnitOutcome.Done, r.Outcome));
        SweepCollector.Collect(byHand, "test", DateTime.UtcNow);
        Assert.Equal(SweepFiles.Claims(byHand), SweepFiles.Claims(local));

        var again = new StringWriter();
        LocalReproduction.Run(local, plan, units, jobs: 1, self: null, "test", again, NullProgress.Instance);
        Assert.StartsWith($"Continuing the run in {local}: {units.Count} of {units.Count} units already done.", again.ToString());
    }

    [Fact]
    public void A_unit_left_undone_is_a_user_error_naming_it()
    {
        using var tmp = DataTestFiles.NewTempDir();
        var (plan, units) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        var dir = Path.Combine(tmp.Path, "run");
        SweepFolder.Write(dir, plan, units);
        // Another process holds the first unit: this one leaves it alone and cannot finish the sweep.
        using var held = FolderLock.TryAcquire(units[0].FolderIn(dir));
        var e = Assert.Throws<UserInputException>(() => LocalReproduction.Run(dir, plan, units, jobs: 1, self: null, "test", TextWriter.Null, NullProgress.Instance));
        Assert.Contains($"1 units did not finish (first: {units[0].Id})", e.Message);
    }

    [Fact]
    public void Worker_processes_need_the_command_that_starts_this_program()
    {
        var (plan, units) = Reproduction.Prepare(Cheap).Plan(new ClusterOptions());
        Assert.Throws<ArgumentException>(() => LocalReproduction.Run(Path.GetTempPath(), plan, units, jobs: 2, self: null, "test", TextWriter.Null));
    }
}
