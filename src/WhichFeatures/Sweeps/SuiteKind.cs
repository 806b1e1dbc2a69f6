using WhichFeatures.Core;

namespace WhichFeatures.Sweeps;

/// <summary>Which suite of the paper's claims a sweep reproduces.</summary>
public enum SuiteKind
{
    /// <summary>The synthetic linear-model claims (Experiments/Theory).</summary>
    Theory,
    /// <summary>The real-data findings (Experiments/Real).</summary>
    Real,
}

/// <summary>The <c>--suite</c> choices.</summary>
public static class SuiteKinds
{
    /// <summary>The definition CLI help, parsing and sweep.json read: theory, real.</summary>
    public static ChoiceSet<SuiteKind> All { get; } = new("--suite", "suite",
        new("theory", SuiteKind.Theory, "synthetic linear-model claims, no downloads"),
        new("real", SuiteKind.Real, "CIFAR-10 / MNIST experiments; needs --data-dir"));

    /// <summary>The suite's name as the CLI, sweep.json and the report write it.</summary>
    public static string Name(this SuiteKind suite) => All.NameOf(suite);
}
