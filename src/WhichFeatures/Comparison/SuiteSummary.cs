namespace WhichFeatures.Comparison;

/// <summary>One claim of a reproduce or sweep folder's results.json.</summary>
/// <param name="Id">Claim id, e.g. "CC-3".</param>
/// <param name="Outcome">"holds", "does not hold", or the recorded verdict.</param>
/// <param name="Criterion">The criterion it was judged by.</param>
/// <param name="KeyNumbers">Its first measured values, "name = mean", as the suite's report lists them.</param>
public sealed record SuiteClaim(string Id, string Outcome, string Criterion, string KeyNumbers);

/// <summary>One unit of a suite: a theory seed or a training run.</summary>
/// <param name="Id">The unit id of manifest.jsonl, e.g. "joint/scl-seed0".</param>
/// <param name="Experiment">The experiment it belongs to.</param>
/// <param name="Status">"done", "running", "failed: ...", "pending".</param>
/// <param name="Folder">The unit's folder (a real unit's training run is its train/ sub-folder).</param>
/// <param name="ProbeTest">A finished real unit's offline probe test accuracy per label (empty otherwise).</param>
public sealed record SuiteRun(string Id, string Experiment, string Status, string Folder, IReadOnlyDictionary<string, double> ProbeTest);

/// <summary>What a reproduce or sweep folder holds: its claims (once collected) and its runs.</summary>
/// <param name="Suite">"theory" or "real".</param>
/// <param name="SmokeRun">A <c>--quick</c> suite, whose verdicts are not evidence.</param>
/// <param name="Collected">Whether results.json is there (a sweep before <c>sweep collect</c> has none).</param>
/// <param name="Claims">Every claim of results.json, in its order.</param>
/// <param name="Runs">Every unit of manifest.jsonl, in its order.</param>
public sealed record SuiteSummary(string Suite, bool SmokeRun, bool Collected, IReadOnlyList<SuiteClaim> Claims, IReadOnlyList<SuiteRun> Runs);
