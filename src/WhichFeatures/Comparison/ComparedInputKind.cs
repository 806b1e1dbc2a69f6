namespace WhichFeatures.Comparison;

/// <summary>What kind of folder an input of <c>compare</c> is, told by the files in it (<see cref="InputFolderKind"/>).</summary>
public enum ComparedInputKind
{
    /// <summary>The --out folder of <c>train</c>: config.json, metrics.csv and, once finished, results.json with per-label probes.</summary>
    TrainingRun,
    /// <summary>The --out folder of <c>diagnose</c>: results.json whose suite is "diagnose", one verdict per attribute.</summary>
    Diagnosis,
    /// <summary>The --out folder of <c>reproduce</c>: a sweep folder (sweep.json, manifest.jsonl, units/) with the suite's results.json.</summary>
    Reproduce,
    /// <summary>A sweep folder from <c>reproduce --plan</c>, collected by <c>sweep collect</c> or not yet.</summary>
    Sweep,
}

/// <summary>Report wording of <see cref="ComparedInputKind"/>.</summary>
public static class ComparedInputKindText
{
    /// <summary>"training run", "diagnosis", "reproduce folder", "sweep folder".</summary>
    public static string Describe(this ComparedInputKind kind) => kind switch
    {
        ComparedInputKind.TrainingRun => "training run",
        ComparedInputKind.Diagnosis => "diagnosis",
        ComparedInputKind.Reproduce => "reproduce folder",
        _ => "sweep folder",
    };

    /// <summary>Whether the kind holds a whole suite (claims and many runs) rather than one encoder.</summary>
    public static bool IsSuite(this ComparedInputKind kind) => kind is ComparedInputKind.Reproduce or ComparedInputKind.Sweep;
}
