namespace WhichFeatures.Comparison;

/// <summary>A label or input name as it may appear in a file or folder name of the comparison.</summary>
public static class SafeFileName
{
    /// <summary>Letters, digits, '-' and '_' are kept; anything else (a '/', a space) becomes '_'.</summary>
    public static string Of(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_'));
}
