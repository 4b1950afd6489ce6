namespace KeyInfra.Errors;

/// <summary>A key given to KeyInfra is malformed, unsupported, too weak, or not of the declared type.</summary>
public sealed class KeyFormatException : KeyInfraException
{
    /// <summary>Creates the exception.</summary>
    public KeyFormatException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
