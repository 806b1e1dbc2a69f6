using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>
/// A dataset file that is missing, unreadable or not in the expected format. The message always names the
/// file, the field that is wrong and what was expected, e.g.
/// <c>data/mnist/train-images-idx3-ubyte: IDX magic: expected 00 00 08 03, found 00 00 08 01</c>.
/// </summary>
public sealed class DatasetFormatException : UserInputException
{
    /// <summary>Creates the error for <paramref name="file"/>: <paramref name="field"/> was not <paramref name="expected"/>.</summary>
    /// <param name="file">The file (or folder) at fault.</param>
    /// <param name="field">The part of the file that is wrong (header field, record, label, whole file).</param>
    /// <param name="expected">What was expected and, where known, what was found.</param>
    /// <param name="inner">The low-level error, if any.</param>
    public DatasetFormatException(string file, string field, string expected, Exception? inner = null)
        : base($"{file}: {field}: {expected}", inner)
    {
        File = file;
        Field = field;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string File { get; }

    /// <summary>The part of the file that is wrong.</summary>
    public string Field { get; }
}
