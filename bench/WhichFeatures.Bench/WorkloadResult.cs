namespace WhichFeatures.Bench;

/// <summary>One workload measured on both sides in alternation.</summary>
/// <param name="Id">Workload id (w1, w5-ucl, ...).</param>
/// <param name="Label">What was measured.</param>
/// <param name="Unit">Unit of the rates (img/s, call/s).</param>
/// <param name="Ours">Our rates (one per round).</param>
/// <param name="Torch">PyTorch's rates (one per round; empty when the PyTorch side did not run).</param>
/// <param name="OthersCpu">CPU share used by other processes, one value per timed interval (both sides).</param>
public sealed record WorkloadResult(string Id, string Label, string Unit, IReadOnlyList<double> Ours, IReadOnlyList<double> Torch, IReadOnlyList<double> OthersCpu)
{
    /// <summary>Our median and spread.</summary>
    public Summary OursSummary => Summary.Of(Ours);
    /// <summary>PyTorch's median and spread.</summary>
    public Summary TorchSummary => Summary.Of(Torch);
    /// <summary>ours / PyTorch on the medians (higher = we are faster); NaN without a PyTorch side.</summary>
    public double Ratio => TorchSummary.Median > 0 ? OursSummary.Median / TorchSummary.Median : double.NaN;
    /// <summary>Median per-round ratio (rounds paired in time), a check on <see cref="Ratio"/>.</summary>
    public double PairedRatio => Torch.Count == 0 ? double.NaN
        : Summary.Of(Ours.Zip(Torch, (a, b) => b > 0 ? a / b : double.NaN).Where(double.IsFinite).ToArray()).Median;
    /// <summary>Median CPU share used by others while this workload was timed.</summary>
    public double OthersCpuMedian => Summary.Of(OthersCpu.Where(double.IsFinite).ToArray()).Median;
    /// <summary>Largest CPU share used by others in one interval.</summary>
    public double OthersCpuMax => OthersCpu.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
}
