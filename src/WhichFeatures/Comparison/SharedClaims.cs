namespace WhichFeatures.Comparison;

/// <summary>
/// The claims two or more collected suites (reproduce or sweep folders) have in common, side by side; a claim not
/// every suite has, and a suite not collected yet, are named in one line of <see cref="LeftOut"/>.
/// </summary>
/// <param name="Suites">The collected suites in the table (empty with fewer than two).</param>
/// <param name="Ids">The claim ids every one of them has, in the first one's order.</param>
/// <param name="LeftOut">One line per suite or claim left out.</param>
public sealed record SharedClaims(IReadOnlyList<ComparedInput> Suites, IReadOnlyList<string> Ids, IReadOnlyList<string> LeftOut)
{
    /// <summary>How every line of <see cref="LeftOut"/> starts.</summary>
    public const string LeftOutPrefix = "left out of the shared claims table: ";

    /// <summary>Aligns the suites among <paramref name="inputs"/>.</summary>
    public static SharedClaims Align(IReadOnlyList<ComparedInput> inputs)
    {
        var suites = inputs.Where(i => i.Suite is not null).ToList();
        if (suites.Count < 2) return new SharedClaims([], [], []);
        var lines = suites.Where(s => !s.Suite!.Collected).Select(s => $"{LeftOutPrefix}{s.Name} is not collected yet (no results.json)").ToList();
        var collected = suites.Where(s => s.Suite!.Collected).ToList();
        if (collected.Count < 2) return new SharedClaims([], [], lines);
        var ids = new List<string>();
        foreach (var id in collected.SelectMany(s => s.Suite!.Claims.Select(c => c.Id)).Distinct())
        {
            var having = collected.Where(s => s.Suite!.Claims.Any(c => c.Id == id)).ToList();
            if (having.Count == collected.Count) ids.Add(id);
            else lines.Add($"{LeftOutPrefix}claim {id}: only {string.Join(", ", having.Select(s => s.Name))} {(having.Count == 1 ? "has" : "have")} it");
        }
        return new SharedClaims(collected, ids, lines);
    }

    /// <summary>The claim <paramref name="id"/> of <paramref name="suite"/>.</summary>
    public static SuiteClaim Cell(ComparedInput suite, string id) => suite.Suite!.Claims.First(c => c.Id == id);
}
