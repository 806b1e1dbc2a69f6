using System.Globalization;

namespace WhichFeatures.Experiments;

/// <summary>A named number a claim is judged against, and how it is written in the criterion sentence.</summary>
/// <param name="Name">How messages name it (<c>{Name}</c>); a criterion's thresholds have distinct names.</param>
/// <param name="Value">The threshold.</param>
/// <param name="Format">.NET number format for the sentence (invariant culture), e.g. "0.00" or "0e0".</param>
public sealed record Threshold(string Name, double Value, string Format = "0.00")
{
    /// <summary>The threshold as the sentence writes it.</summary>
    public string Text => Value.ToString(Format, CultureInfo.InvariantCulture);
}
