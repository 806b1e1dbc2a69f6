namespace WhichFeatures.Maps;

/// <summary>One label of the mapped rows: a code per row (−1: unknown) and the name of each code.</summary>
/// <param name="Name">The label's name (class, subclass, an attribute).</param>
/// <param name="Codes">One code per mapped row, in [0, Categories.Count) or −1.</param>
/// <param name="Categories">The name of each code.</param>
public sealed record MapLabel(string Name, IReadOnlyList<long> Codes, IReadOnlyList<string> Categories);
