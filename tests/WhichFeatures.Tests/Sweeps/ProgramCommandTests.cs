using WhichFeatures.Sweeps;

namespace WhichFeatures.Tests.Sweeps;

/// <summary>How a worker process starts this program again (src/WhichFeatures/Sweeps/ProgramCommand.cs).</summary>
public class ProgramCommandTests
{
    [Fact]
    public void Through_dotnet_the_program_is_its_dll_and_an_apphost_starts_itself()
    {
        var viaDotnet = ProgramCommand.ForProcess("/usr/share/dotnet/dotnet", "/opt/wf/WhichFeatures.Cli.dll");
        Assert.Equal("/usr/share/dotnet/dotnet", viaDotnet.FileName);
        Assert.Equal(["/opt/wf/WhichFeatures.Cli.dll", "sweep", "run"], viaDotnet.StartInfo(["sweep", "run"]).ArgumentList);
        var apphost = ProgramCommand.ForProcess("/opt/wf/whichfeatures", "/opt/wf/whichfeatures.dll");
        Assert.Equal(["sweep"], apphost.StartInfo(["sweep"]).ArgumentList);
        Assert.Throws<InvalidOperationException>(() => ProgramCommand.ForProcess(null, "x.dll"));
    }
}
