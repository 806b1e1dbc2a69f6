namespace WhichFeatures.Core;

/// <summary>
/// Named places in a run (a step done, half a checkpoint written, the final evaluation about to start) where a test
/// may crash or pause the process. Production code passes <see cref="FaultInjection.None"/>; the CLI passes
/// <see cref="FaultInjection.FromEnvironment"/>. The point names are listed on <see cref="FaultInjection"/>.
/// </summary>
public interface IFaultHook
{
    /// <summary>Called when the run reaches <paramref name="point"/>; <paramref name="ct"/> ends a pause.</summary>
    void Reached(string point, CancellationToken ct = default);
}
