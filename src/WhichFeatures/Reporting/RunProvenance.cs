using System.Runtime.InteropServices;

namespace WhichFeatures.Reporting;

/// <summary>Where and with what a run was made: written into results.json and the report.</summary>
public sealed record RunProvenance(
    string Tool, string ToolVersion, string Command, DateTime StartedUtc, double WallSeconds,
    string Machine, int Cores, string Os, string Runtime, string TorchDevice, string Libtorch)
{
    /// <summary>Captures the current process's environment.</summary>
    public static RunProvenance Capture(string command, DateTime startedUtc)
    {
        string version = typeof(RunProvenance).Assembly.GetName().Version?.ToString() ?? "0";
        string device;
        try { device = WhichFeatures.Core.TorchDevice.Default.ToString(); }
        catch (Exception e) { device = "unavailable: " + e.Message; }
        return new RunProvenance(
            "WhichFeatures", version, command, startedUtc, (DateTime.UtcNow - startedUtc).TotalSeconds,
            Environment.MachineName, Environment.ProcessorCount, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, device, "libtorch 2.10.0 (TorchSharp 0.107.0)");
    }
}
