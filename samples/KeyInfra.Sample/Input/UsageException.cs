namespace KeyInfra.Sample.Input;

/// <summary>
/// Bad input on the command line (a malformed value, a missing file, a conflicting option): reported as one
/// line on stderr with exit code 2, never with a stack trace. The message says what was wrong and what to do.
/// </summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
