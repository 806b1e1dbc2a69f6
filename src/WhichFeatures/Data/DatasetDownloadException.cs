using WhichFeatures.Core;

namespace WhichFeatures.Data;

/// <summary>A download that could not be completed (offline, HTTP error, bad checksum, bad archive). One line, no partial folder left.</summary>
public sealed class DatasetDownloadException : UserInputException
{
    /// <summary>Creates the error with a one-line message.</summary>
    public DatasetDownloadException(string message, Exception? inner = null) : base(message, inner) { }
}
