namespace WhichFeatures.Core;

/// <summary>
/// A problem with what the user gave (a parameter, a file, a folder). The CLI prints the message alone,
/// without a stack trace, and exits with code 2.
/// </summary>
public class UserInputException : Exception
{
    /// <summary>Creates the error with a message that names the parameter or file and what was expected.</summary>
    public UserInputException(string message, Exception? inner = null) : base(message, inner) { }
}
