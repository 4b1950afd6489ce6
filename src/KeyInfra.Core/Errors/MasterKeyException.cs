namespace KeyInfra.Errors;

/// <summary>
/// The master key is missing, malformed, or not the one that encrypted the existing data.
/// Raised at start, before anything is written.
/// </summary>
public sealed class MasterKeyException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public MasterKeyException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
