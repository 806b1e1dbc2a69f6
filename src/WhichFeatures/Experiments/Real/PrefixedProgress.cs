using WhichFeatures.Core;

namespace WhichFeatures.Experiments.Real;

/// <summary>Passes progress through, prefixing each task's name (so the many training runs of a suite are told apart).</summary>
public sealed class PrefixedProgress : IRunProgress
{
    private readonly IRunProgress _inner;
    private readonly string _prefix;

    /// <summary>Wraps <paramref name="inner"/>; task names become "<paramref name="prefix"/>: name".</summary>
    public PrefixedProgress(IRunProgress inner, string prefix)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _prefix = prefix ?? "";
    }

    /// <inheritdoc />
    public IProgressTask Start(string name, double total) => _inner.Start(_prefix.Length == 0 ? name : $"{_prefix}: {name}", total);
}
