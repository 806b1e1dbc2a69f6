using WhichFeatures.Cli;
using WhichFeatures.Reporting;
using WhichFeatures.Tests.Data;
using WhichFeatures.Training;

namespace WhichFeatures.Tests.Cli;

/// <summary>A misspelt --device, on the command line or in a resumed run's config.json, is one line naming it.</summary>
public class DeviceOptionTests
{
    private const string Expected = "unknown device; expected one of: auto, cpu, cuda, cuda:N.";

    private static string OneLineError(params string[] args)
    {
        var err = new StringWriter();
        Assert.Equal(CliApp.UserError, CliApp.Run(args, err));
        var text = err.ToString().TrimEnd();
        Assert.DoesNotContain('\n', text);
        return text;
    }

    [Fact]
    public void Train_with_a_misspelt_device_is_refused_naming_it()
    {
        using var tmp = new TempDir();
        var text = OneLineError("train", "--data-dir", tmp.Path, "--device", "gpu", "--out", Path.Combine(tmp.Path, "run"));
        Assert.Contains($"--device gpu: {Expected}", text);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "run")));
    }

    [Fact]
    public void Reproduce_with_a_misspelt_device_is_refused_naming_it()
    {
        using var tmp = new TempDir();
        var text = OneLineError("reproduce", "--suite", "real", "--data-dir", tmp.Path, "--device", "cuda:x", "--out", Path.Combine(tmp.Path, "run"));
        Assert.Contains($"--device cuda:x: {Expected}", text);
    }

    [Fact]
    public void Resume_of_a_run_whose_config_json_has_a_misspelt_device_is_refused_naming_it()
    {
        using var tmp = new TempDir();
        var json = RunJson.Serialize(new TrainConfig().Validate()).Replace("\"device\": \"auto\"", "\"device\": \"CPUU\"");
        File.WriteAllText(Path.Combine(tmp.Path, "config.json"), json);
        var text = OneLineError("train", "--resume", "--out", tmp.Path);
        Assert.Contains("not a valid run configuration", text);
        Assert.Contains($"--device CPUU: {Expected}", text);
    }
}
